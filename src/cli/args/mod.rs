//! The command-line surface: every command, its flags and its help examples.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

mod more;
mod sandbox;
pub use more::{CostGroup, LogsAction, LogsArgs, LogsFilter, RepoArgs};
pub use sandbox::{BackendChoice, SandboxOptions};

#[derive(Debug, Parser)]
#[command(
    name = "codingit",
    version,
    about = "A command-line AI co-developer: from a sentence to a running app",
    long_about = "codingit turns a sentence into a working app (new), keeps improving it (chat), \
                  merges lazy edits locally (edit), runs code in isolated sandboxes (run, files, \
                  sandbox) and talks to many LLM providers through one catalog (models).",
    after_help = "Examples:\n  codingit new \"a streamlit app that plots a sine wave\" --run\n  \
                  codingit models --available\n  codingit edit app.py \"add a title\" --diff\n\n\
                  Exit codes: see docs/exit-codes.md",
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// Print one JSON document on stdout instead of human text.
    #[arg(long, global = true)]
    pub json: bool,
    /// Less output on stderr (-q: no progress, -qq: errors only).
    #[arg(short, long, action = clap::ArgAction::Count, global = true, conflicts_with = "verbose")]
    pub quiet: u8,
    /// More output on stderr (-v: info, -vv: debug, -vvv: trace).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// When to use colors.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Use this config file instead of <config dir>/config.toml.
    #[arg(long, global = true, value_name = "FILE", env = "CODINGIT_CONFIG")]
    pub config: Option<PathBuf>,
    /// Do not record this command in the run log (docs/logs.md).
    #[arg(long, global = true)]
    pub no_log: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Turn a sentence into a project folder (a fragment), optionally run it.
    #[command(
        after_help = "Examples:\n  codingit new \"a gradio app that reverses text\"\n  \
        echo \"plot primes under 100\" | codingit new -t code-interpreter-v1 --run\n  \
        codingit new \"todo app\" -t nextjs-developer -o todo --json"
    )]
    New(NewArgs),
    /// Continue a project's conversation, or change any repository: the model updates its files.
    #[command(
        after_help = "Examples:\n  codingit chat \"make the chart blue\" -C my-app\n  \
        codingit chat --lazy \"add a footer\"\n  codingit chat --undo\n  \
        echo \"rename foo to bar\" | codingit chat --dry-run > change.patch\n  \
        codingit chat \"fix the failing test\" --test \"npm test\" --commit --branch fix"
    )]
    Chat(ChatArgs),
    /// Edit files on instruction, merging the model's lazy edits locally.
    #[command(
        after_help = "Examples:\n  codingit edit app.py \"add a --verbose flag\" --diff\n  \
        codingit edit app.py cli.py \"move the argument parsing into cli.py\"\n  \
        codingit edit app.py --snippet edit.txt --dry-run\n  \
        codingit edit --patch changes.patch"
    )]
    Edit(EditArgs),
    /// Run a project, a file or stdin in a sandbox.
    #[command(after_help = "Examples:\n  codingit run my-app\n  \
        echo 'print(6*7)' | codingit run -\n  codingit run app.py -t streamlit-developer --detach")]
    Run(RunArgs),
    /// Files inside a live sandbox (confined to its home folder).
    #[command(after_help = "Examples:\n  codingit files SANDBOX ls -r\n  \
        codingit files SANDBOX cat app.py\n  codingit files SANDBOX download results/plot.png")]
    Files(FilesArgs),
    /// Live sandboxes: list, logs, exec, extend, kill.
    #[command(
        after_help = "Examples:\n  codingit sandbox ls\n  codingit sandbox logs SANDBOX -f\n  \
        codingit sandbox exec SANDBOX -- ls -la\n  \
        codingit sandbox extend SANDBOX 10m\n  codingit sandbox kill --all"
    )]
    Sandbox(SandboxArgs),
    /// The model catalog: models, providers, availability, checks.
    #[command(
        after_help = "Examples:\n  codingit models\n  codingit models --provider anthropic --json\n  \
        codingit models show openai/gpt-5-mini\n  codingit models check ollama"
    )]
    Models(ModelsArgs),
    /// Sandbox templates: list, show, build.
    #[command(after_help = "Examples:\n  codingit templates list\n  \
        codingit templates show streamlit-developer\n  codingit templates build --all")]
    Templates(TemplatesArgs),
    /// The run log: every model call and sandbox run, with search and cost totals.
    #[command(
        after_help = "Examples:\n  codingit logs\n  codingit logs --failed --since 1d\n  \
        codingit logs show 42 --json\n  codingit logs search \"sine wave\"\n  codingit logs cost --by day"
    )]
    Logs(LogsArgs),
    /// What works on this machine, and how to fix what does not (exit 1 when the
    /// default path cannot work).
    #[command(after_help = "Examples:\n  codingit doctor\n  codingit doctor --json")]
    Doctor,
    /// Print shell completions.
    #[command(
        after_help = "Examples:\n  codingit completions bash > ~/.local/share/bash-completion/completions/codingit\n  \
        codingit completions zsh > \"${fpath[1]}/_codingit\""
    )]
    Completions(CompletionsArgs),
}

/// Model choice, shared by every command that calls a model.
#[derive(Debug, Args, Clone, Default)]
pub struct ModelArgs {
    /// Model as provider/model or a unique bare id (default: config, then the first provider with a key).
    #[arg(short, long, value_name = "MODEL", env = "CODINGIT_MODEL")]
    pub model: Option<String>,
    /// Rounds in which an invalid answer goes back to the model for repair.
    #[arg(long, value_name = "N")]
    pub repair_rounds: Option<u32>,
    /// Sampling temperature.
    #[arg(long, value_name = "T")]
    pub temperature: Option<f32>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// What to build (also read from stdin when it is a pipe or file).
    pub prompt: Option<String>,
    /// Template id, or `auto` to let the model choose.
    #[arg(short, long, value_name = "ID")]
    pub template: Option<String>,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Project folder (default: named from the fragment's title).
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write into a folder that is not empty.
    #[arg(long)]
    pub force: bool,
    /// Attach an image (repeatable; needs a multimodal model).
    #[arg(long, value_name = "FILE")]
    pub image: Vec<PathBuf>,
    /// Add the instructions in FILE to the system prompt.
    #[arg(long, value_name = "FILE")]
    pub system: Option<PathBuf>,
    /// Print the fragment and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Run the project once written.
    #[arg(long)]
    pub run: bool,
    #[command(flatten)]
    pub judge: super::check::JudgeArgs,
    #[command(flatten)]
    pub fix: super::check::FixArgs,
    /// Print one JSON event per line as things happen.
    #[arg(long, conflicts_with = "json")]
    pub events: bool,
    #[command(flatten)]
    pub sandbox: SandboxOptions,
}

#[derive(Debug, Args, Clone)]
pub struct ChatArgs {
    /// What to change (also read from stdin when it is a pipe or file).
    pub prompt: Option<String>,
    /// The folder: a project made by `new`, or any repository.
    #[arg(short = 'C', long = "dir", value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Answer with lazy edits per file instead of a whole new fragment.
    #[arg(long)]
    pub lazy: bool,
    /// Show the diff and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Restore the project as it was before the last turn.
    #[arg(long, conflicts_with_all = ["prompt", "lazy", "dry_run"])]
    pub undo: bool,
    /// Attach an image (repeatable; needs a multimodal model).
    #[arg(long, value_name = "FILE")]
    pub image: Vec<PathBuf>,
    /// Print one JSON event per line as things happen.
    #[arg(long, conflicts_with = "json")]
    pub events: bool,
    #[command(flatten)]
    pub judge: super::check::JudgeArgs,
    #[command(flatten)]
    pub fix: super::check::FixArgs,
    /// The sandbox of `--check` and the interactive `/run` (the same options as `run`).
    #[command(flatten)]
    pub sandbox: SandboxOptions,
    #[command(flatten)]
    pub repo: RepoArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EditFormatArg {
    Auto,
    Lazy,
    SearchReplace,
    Patch,
    Udiff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Applier {
    /// The local deterministic merge.
    Local,
    /// Morph's fast-apply API (needs MORPH_API_KEY).
    Morph,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The file to edit.
    #[arg(required_unless_present = "patch")]
    pub file: Option<PathBuf>,
    /// What to change (asks the model for a lazy edit).
    pub instruction: Option<String>,
    /// More files: `edit FILE... INSTRUCTION` edits several, the instruction last.
    #[arg(value_name = "MORE", conflicts_with_all = ["snippet", "patch", "output", "applier"])]
    pub more: Vec<String>,
    /// Merge this edit (a file, or - for stdin) with no model.
    #[arg(long, value_name = "PATH|-", conflicts_with = "instruction")]
    pub snippet: Option<String>,
    /// Apply a `*** Begin Patch` over several files, all or none.
    #[arg(long, value_name = "PATH|-", conflicts_with_all = ["snippet", "instruction", "file"])]
    pub patch: Option<String>,
    /// Format of the edit.
    #[arg(long, value_enum, default_value_t = EditFormatArg::Auto)]
    pub format: EditFormatArg,
    /// Write the merged file here (- for stdout) instead of in place.
    #[arg(long, value_name = "PATH|-")]
    pub output: Option<String>,
    /// Print the unified diff and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the diff of what was written.
    #[arg(long)]
    pub diff: bool,
    /// Who merges the edit.
    #[arg(long, value_enum, default_value_t = Applier::Local)]
    pub applier: Applier,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// A project folder, a single file, or - for code on stdin (default: the current folder).
    pub path: Option<String>,
    /// Template id (for a file or stdin; default from the extension).
    #[arg(short, long, value_name = "ID")]
    pub template: Option<String>,
    /// Where charts and other results are saved.
    #[arg(long, value_name = "DIR")]
    pub artifacts: Option<PathBuf>,
    /// Leave a web app running and print its id.
    #[arg(long)]
    pub detach: bool,
    /// Lifetime of a detached sandbox, or the time limit of a run (e.g. 90s, 10m).
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,
    /// Print one JSON event per line as things happen.
    #[arg(long, conflicts_with = "json")]
    pub events: bool,
    #[command(flatten)]
    pub judge: super::check::JudgeArgs,
    #[command(flatten)]
    pub sandbox: SandboxOptions,
}

#[derive(Debug, Args)]
pub struct FilesArgs {
    /// The sandbox id (see `codingit sandbox ls`).
    pub sandbox: String,
    /// Only look in this backend (default: whichever holds the id).
    #[arg(long, value_enum, value_name = "BACKEND", global = true)]
    pub backend: Option<BackendChoice>,
    #[command(subcommand)]
    pub action: FilesAction,
}

#[derive(Debug, Subcommand)]
pub enum FilesAction {
    /// List files (recursively with -r).
    Ls {
        path: Option<String>,
        #[arg(short, long)]
        recursive: bool,
    },
    /// Print a file.
    Cat { path: String },
    /// Write a file from --from FILE or stdin.
    Write {
        path: String,
        #[arg(long, value_name = "FILE|-")]
        from: Option<String>,
    },
    /// Remove a file or folder.
    Rm { path: String },
    /// Copy a local file or folder into the sandbox.
    Upload {
        local: PathBuf,
        dest: Option<String>,
    },
    /// Copy a file or folder out of the sandbox (never over an existing path
    /// without --force, never through a local symlink, never into `.git/`).
    Download {
        path: String,
        local: Option<PathBuf>,
        /// Replace an existing local file (or add into an existing folder).
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    #[command(subcommand)]
    pub action: SandboxAction,
    /// Only this backend (default: every usable one).
    #[arg(long, value_enum, value_name = "BACKEND", global = true)]
    pub backend: Option<BackendChoice>,
}

#[derive(Debug, Subcommand)]
pub enum SandboxAction {
    /// List live sandboxes with their remaining time.
    Ls,
    /// Show a sandbox's logs.
    Logs {
        id: String,
        /// Keep following new output.
        #[arg(short, long)]
        follow: bool,
    },
    /// Give a sandbox more time.
    Extend { id: String, duration: String },
    /// (Re)open the preview of a sandbox's web app; it lives as long as the sandbox.
    Preview { id: String },
    /// Run a command in a live sandbox, streaming its output; exits with the
    /// command's own code (124 at --timeout, 128+n when ended by signal n).
    #[command(
        after_help = "Examples:\n  codingit sandbox exec SANDBOX -- ls -la\n  \
        codingit sandbox exec SANDBOX --timeout 30s -- python3 -c 'print(1)'"
    )]
    Exec {
        /// The sandbox id (see `codingit sandbox ls`).
        id: String,
        /// Time limit (e.g. 30s, 5m); past it the command is killed (exit 124).
        #[arg(long, value_name = "DURATION")]
        timeout: Option<String>,
        /// Working folder, relative to the sandbox home.
        #[arg(long, value_name = "DIR")]
        cwd: Option<String>,
        /// The command and its arguments, after `--` (run as given, no shell).
        #[arg(last = true, required = true, value_name = "CMD")]
        command: Vec<String>,
    },
    /// Stop and remove sandboxes.
    Kill {
        #[arg(required_unless_present = "all")]
        id: Option<String>,
        #[arg(long)]
        all: bool,
    },
}

#[derive(Debug, Args)]
pub struct ModelsArgs {
    #[command(subcommand)]
    pub action: Option<ModelsAction>,
    #[command(flatten)]
    pub filter: ModelFilter,
}

#[derive(Debug, Args, Clone, Default)]
pub struct ModelFilter {
    /// Only models of this provider.
    #[arg(long, value_name = "ID")]
    pub provider: Option<String>,
    /// Only models that can be used now (key set or local server up).
    #[arg(long)]
    pub available: bool,
    /// Only models that accept images.
    #[arg(long)]
    pub multimodal: bool,
}

#[derive(Debug, Subcommand)]
pub enum ModelsAction {
    /// List models (the default).
    List {
        #[command(flatten)]
        filter: ModelFilter,
    },
    /// Show one model.
    Show { id: String },
    /// List providers with their protocol, base URL and key status.
    Providers,
    /// Make a minimal real request and report ok or the error, with latency.
    Check {
        /// A provider id or a model (default: every available provider).
        target: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct TemplatesArgs {
    #[command(subcommand)]
    pub action: Option<TemplatesAction>,
}

#[derive(Debug, Subcommand)]
pub enum TemplatesAction {
    /// List templates (the default).
    List,
    /// Show one template.
    Show { id: String },
    /// Build a template's sandbox image or local environment.
    Build {
        #[arg(required_unless_present = "all")]
        id: Option<String>,
        #[arg(long)]
        all: bool,
        #[arg(long, value_enum, value_name = "BACKEND")]
        backend: Option<BackendChoice>,
    },
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}
