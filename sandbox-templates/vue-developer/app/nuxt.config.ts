export default defineNuxtConfig({
  compatibilityDate: "2024-08-01",
  devtools: { enabled: false },
  telemetry: false,
  modules: ["@nuxtjs/tailwindcss"],
  // A remote preview is served at a host of its own (E2B's `PORT-ID.DOMAIN`), which
  // Vite's dev server answers only when allowed; the sandbox backend names it.
  vite: {
    server: {
      allowedHosts: (process.env.CODINGIT_PREVIEW_HOSTS ?? "").split(",").filter(Boolean),
    },
  },
});
