/** A Server-Sent Events channel read over a real socket, as a page reads it. */
export interface EventStream {
  status: number;
  contentType: string | null;
  /** Every frame with data, parsed: `event` is "message" unless the frame names another. */
  messages: { event: string; data: unknown }[];
  /** Everything received so far, as sent (comments such as ": connected" included). */
  text(): string;
  /** Settles when the stream ends or is closed. */
  ended: Promise<void>;
  close(): void;
}

/** Opens `path` on `baseUrl` as `cookie` and parses its frames as they arrive (a refused open is answered, not read). */
export async function openEventStream(baseUrl: string, path: string, cookie: string | null): Promise<EventStream> {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}${path}`, {
    headers: { ...(cookie ? { Cookie: cookie } : {}), Accept: "text/event-stream" },
    signal: controller.signal,
  });
  const messages: EventStream["messages"] = [];
  let received = "";
  let ended: Promise<void> = Promise.resolve();
  if (res.status === 200) {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    ended = (async () => {
      let buffer = "";
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          received += value;
          buffer += value;
          let cut: number;
          while ((cut = buffer.indexOf("\n\n")) >= 0) {
            const frame = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            let event = "message";
            const data: string[] = [];
            for (const line of frame.split("\n")) {
              if (line.startsWith("event: ")) event = line.slice(7);
              else if (line.startsWith("data: ")) data.push(line.slice(6));
            }
            if (data.length) messages.push({ event, data: JSON.parse(data.join("\n")) });
          }
        }
      } catch {
        // aborted by close()
      }
    })();
  } else {
    await res.body?.cancel();
  }
  return { status: res.status, contentType: res.headers.get("content-type"), messages, text: () => received, ended, close: () => controller.abort() };
}
