// Lint config. The dependency rule of docs/architecture.md is enforced here:
// core/ and lb/ stay pure (no node:*, no adapters, runtime or controllers).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const impureForCore = [
  { group: ["node:*"], message: "core/ is pure: no Node built-ins (docs/architecture.md)." },
  {
    group: ["**/adapters/**", "**/runtime/**", "**/controllers/**", "**/cli/**", "**/ports/**"],
    message: "core/ imports only api/ and core/ (docs/architecture.md).",
  },
];

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      "coverage/**",
      "dist/**",
      ".dist-*/**",
      "src/api/generated/**",
      "bin/**",
      "eslint.config.js",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "@typescript-eslint/explicit-function-return-type": ["error", { allowExpressions: true }],
      // noUncheckedIndexedAccess is on; index reads proven in bounds locally may assert.
      "@typescript-eslint/no-non-null-assertion": "off",
      "max-depth": ["error", 4],
      "max-params": ["error", 5],
    },
  },
  {
    files: ["src/core/**/*.ts", "src/lb/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: impureForCore }] },
  },
  {
    files: ["src/api/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["node:*", "**/core/**", "**/cli/**"], message: "api/ depends on nothing." }] },
      ],
    },
  },
  {
    files: ["**/*.test.ts", "test/**/*.ts", "bench/**/*.ts", "scripts/**/*.ts"],
    rules: {
      "@typescript-eslint/explicit-function-return-type": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-floating-promises": [
        "error",
        {
          allowForKnownSafeCalls: [
            { from: "package", package: "node:test", name: ["describe", "it", "test", "suite"] },
          ],
        },
      ],
    },
  },
);
