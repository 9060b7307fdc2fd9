export default defineNuxtConfig({
  compatibilityDate: "2024-08-01",
  devtools: { enabled: false },
  telemetry: false,
  modules: ["@nuxtjs/tailwindcss"],
});
