import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import remixConfig from "./remix.config.js";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [remix(remixConfig), tsconfigPaths()],
  build: { target: "es2022" },
  ssr: {
    // Native and Node-only packages stay outside the server bundle.
    external: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "nodemailer"],
  },
});
