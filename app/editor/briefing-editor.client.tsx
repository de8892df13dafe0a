/** The live collaborative editor (client-only). Placeholder until the co-editing work lands. */
export default function BriefingEditor(props: {
  briefingId: string;
  user: { id: string; name: string; color: string };
  editable: boolean;
  canComment: boolean;
}) {
  return (
    <div className="editor-shell" data-briefing-id={props.briefingId}>
      <p className="muted">The live editor is not available yet.</p>
    </div>
  );
}
