import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const prismaImports = {
  patterns: [
    {
      group: ["@/generated/prisma", "@/generated/prisma/*", "**/generated/prisma/*", "@prisma/*", "pg"],
      message: "Only lib/data, lib/db, prisma/ and scripts/ talk to the database: call a lib/data function instead.",
    },
  ],
};

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", "generated/**", "node_modules/**", ".data/**", "next-env.d.ts", "test-results/**", "playwright-report/**"] },
  {
    files: ["**/*.ts", "**/*.tsx"],
    rules: {
      "no-restricted-imports": ["error", prismaImports],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The database layers themselves, and the end-to-end tests that check what was written.
    files: ["lib/data/**", "lib/db/**", "prisma/**", "scripts/**", "bench/**", "e2e/**"],
    rules: { "no-restricted-imports": "off" },
  },
];

export default config;
