// Lint for the whole repository: typescript-eslint's recommended rules, run in CI with zero
// warnings allowed (`npm run lint`). The import rules keep the layers pointing one way.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Selectors of formatting that builds an Intl formatter per call (used by two blocks below). */
const localeFormatting = [
  {
    selector: "CallExpression[callee.property.name=/^toLocale(Date|Time)String$/]",
    message: "Use formatWhen/formatLocal (app/utils/time-format.ts) or a module-level Intl.DateTimeFormat: this builds a formatter per call.",
  },
  {
    selector: "CallExpression[callee.property.name='toLocaleString'][callee.object.type='NewExpression']",
    message: "Use formatWhen/formatLocal (app/utils/time-format.ts) or a module-level Intl.DateTimeFormat: this builds a formatter per call.",
  },
  {
    selector: "CallExpression[callee.property.name='toLocaleString'][arguments.length=2]",
    message: "Use a module-level Intl formatter: toLocaleString with options builds one per call.",
  },
];

export default tseslint.config(
  { ignores: ["build/**", ".build-*/**", "public/build/**", "node_modules/**", "data/**", "db/migrations/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        Buffer: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        setImmediate: "readonly",
        URL: "readonly",
        URLSearchParams: "readonly",
        fetch: "readonly",
        performance: "readonly",
        window: "readonly",
        document: "readonly",
        navigator: "readonly",
        globalThis: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // The queries are becoming async (docs/decisions/0111): a call that is not awaited returns a
    // Promise, which is always truthy in a permission check and drops its error when left
    // floating. The type checker sees neither; these typed rules do, in the code that ships.
    files: ["app/**/*.ts", "app/**/*.tsx", "server/**/*.ts", "db/**/*.ts"],
    ignores: ["**/*.test.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: false }],
      "@typescript-eslint/no-floating-promises": "error",
    },
  },
  {
    // `Date#toLocaleString(locale, options)` and its Date/Time variants build an Intl formatter on
    // every call (~0.5 ms): a list of 200 dates cost the event loop ~100 ms. Format through the
    // formatters built once in app/utils/time-format.ts, or a module-level Intl.DateTimeFormat.
    files: ["app/**/*.ts", "app/**/*.tsx", "server/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-syntax": ["error", ...localeFormatting],
    },
  },
  {
    // `new Y.Doc()` draws a random guid through 31 calls of crypto.getRandomValues (~75 µs): the
    // server builds its documents with serverDoc() (server/yjs-doc.ts, ADR 0210).
    files: ["server/**/*.ts", "app/**/*.server.ts"],
    ignores: ["**/*.test.ts", "server/yjs-doc.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "NewExpression[callee.object.name='Y'][callee.property.name='Doc'][arguments.length=0]",
          message: "Use serverDoc() (server/yjs-doc.ts): Y.Doc without a guid draws a random one through 31 crypto calls.",
        },
        // A later block's no-restricted-syntax replaces an earlier one's for the same file.
        ...localeFormatting,
      ],
    },
  },
  {
    // db/ is the bottom layer: it must not reach up into the server.
    files: ["db/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/server/*", "**/server/**"], message: "db/ must not import server/." }] }],
    },
  },
  {
    // Query modules converted to the async store (ADR 0111): builders are awaited, never run
    // synchronously, so the same code runs on SQLite and PostgreSQL. Add a module here once converted.
    files: [
      "db/queries/sessions.ts",
      "db/queries/users.ts",
      "db/queries/markings.ts",
      "db/queries/audit.ts",
      "db/queries/comments.ts",
      "db/queries/notifications.ts",
      "db/queries/suggestions.ts",
      "db/queries/teams.ts",
      "db/queries/briefings.ts",
      "db/queries/blocks.ts",
      "db/queries/reviews.ts",
      "db/queries/demo-users.ts",
      "db/queries/versions.ts",
    ],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.type='MemberExpression'][callee.property.name=/^(get|all|run|values)$/][arguments.length=0]",
          message: "Await the builder instead (`first(await q.limit(1))`, `await q`): synchronous execution is SQLite only (ADR 0111).",
        },
        {
          selector: "CallExpression[callee.type='MemberExpression'][callee.property.name=/^(all|run)$/]",
          message: "Use `rows(store, sql`…`)` or an awaited builder: `db.all`/`db.run` are SQLite only (ADR 0111).",
        },
      ],
    },
  },
  {
    // The browser editor and the shared schema never import the database or the server.
    files: ["app/editor/**/*.{ts,tsx}", "app/comments/**/*.{ts,tsx}", "app/components/**/*.{ts,tsx}", "extensions/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/db/*", "**/db/**", "!**/db/enums"], message: "Browser code must not import db/." }, { group: ["**/server/**"], message: "Browser code must not import server/." }] },
      ],
    },
  },
);
