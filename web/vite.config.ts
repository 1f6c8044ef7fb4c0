import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

import { precompress } from "./precompress";

// The gateway serves the built app (web/dist); `npm run dev` proxies the API to a running
// gateway (KRING_GATEWAY, default the dev stack's) so screens can be worked on live.
const gateway = process.env.KRING_GATEWAY ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react(), precompress()],
  build: {
    target: "es2022",
    sourcemap: false,
    // One file per screen folder; React and the router in a vendor chunk cached across releases.
    rollupOptions: {
      output: {
        manualChunks: {
          vendor: ["react", "react-dom", "react-router", "@tanstack/react-query"],
        },
      },
    },
  },
  server: {
    host: "127.0.0.1",
    proxy: { "/api": gateway },
  },
});
