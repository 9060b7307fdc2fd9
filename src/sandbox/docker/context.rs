//! The template folders (`sandbox-templates/`), embedded so an installed binary can
//! build its images. A folder `<config dir>/sandbox-templates/<id>/` replaces one.

/// Files shared by every template, placed under `codingit/` in each build context.
pub const COMMON: &[(&str, &[u8])] = &[
    (
        "ca-setup.sh",
        include_bytes!("../../../sandbox-templates/_common/ca-setup.sh"),
    ),
    (
        "ensure-user.sh",
        include_bytes!("../../../sandbox-templates/_common/ensure-user.sh"),
    ),
];

/// The files of a built-in template folder, by template id.
pub fn builtin(id: &str) -> Option<&'static [(&'static str, &'static [u8])]> {
    match id {
        "code-interpreter-v1" => Some(&[(
            "Dockerfile",
            include_bytes!("../../../sandbox-templates/code-interpreter-v1/Dockerfile"),
        )]),
        "gradio-developer" => Some(&[
            (
                "Dockerfile",
                include_bytes!("../../../sandbox-templates/gradio-developer/Dockerfile"),
            ),
            (
                "app.py",
                include_bytes!("../../../sandbox-templates/gradio-developer/app.py"),
            ),
        ]),
        "nextjs-developer" => Some(&[
            (
                "Dockerfile",
                include_bytes!("../../../sandbox-templates/nextjs-developer/Dockerfile"),
            ),
            (
                "app/next-env.d.ts",
                include_bytes!("../../../sandbox-templates/nextjs-developer/app/next-env.d.ts"),
            ),
            (
                "app/next.config.js",
                include_bytes!("../../../sandbox-templates/nextjs-developer/app/next.config.js"),
            ),
            (
                "app/package.json",
                include_bytes!("../../../sandbox-templates/nextjs-developer/app/package.json"),
            ),
            (
                "app/pages/_app.tsx",
                include_bytes!("../../../sandbox-templates/nextjs-developer/app/pages/_app.tsx"),
            ),
            (
                "app/pages/index.tsx",
                include_bytes!("../../../sandbox-templates/nextjs-developer/app/pages/index.tsx"),
            ),
            (
                "app/postcss.config.js",
                include_bytes!("../../../sandbox-templates/nextjs-developer/app/postcss.config.js"),
            ),
            (
                "app/styles/globals.css",
                include_bytes!(
                    "../../../sandbox-templates/nextjs-developer/app/styles/globals.css"
                ),
            ),
            (
                "app/tailwind.config.js",
                include_bytes!(
                    "../../../sandbox-templates/nextjs-developer/app/tailwind.config.js"
                ),
            ),
            (
                "app/tsconfig.json",
                include_bytes!("../../../sandbox-templates/nextjs-developer/app/tsconfig.json"),
            ),
        ]),
        "streamlit-developer" => Some(&[
            (
                "Dockerfile",
                include_bytes!("../../../sandbox-templates/streamlit-developer/Dockerfile"),
            ),
            (
                "app.py",
                include_bytes!("../../../sandbox-templates/streamlit-developer/app.py"),
            ),
        ]),
        "vue-developer" => Some(&[
            (
                "Dockerfile",
                include_bytes!("../../../sandbox-templates/vue-developer/Dockerfile"),
            ),
            (
                "app/app.vue",
                include_bytes!("../../../sandbox-templates/vue-developer/app/app.vue"),
            ),
            (
                "app/nuxt.config.ts",
                include_bytes!("../../../sandbox-templates/vue-developer/app/nuxt.config.ts"),
            ),
            (
                "app/package.json",
                include_bytes!("../../../sandbox-templates/vue-developer/app/package.json"),
            ),
        ]),
        _ => None,
    }
}
