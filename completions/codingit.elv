
use builtin;
use str;

set edit:completion:arg-completer[codingit] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'codingit'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'codingit'= {
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand new 'Turn a sentence into a project folder (a fragment), optionally run it'
            cand chat 'Continue a project''s conversation, or change any repository: the model updates its files'
            cand edit 'Edit files on instruction, merging the model''s lazy edits locally'
            cand run 'Run a project, a file or stdin in a sandbox'
            cand files 'Files inside a live sandbox (confined to its home folder)'
            cand sandbox 'Live sandboxes: list, logs, exec, extend, kill'
            cand models 'The model catalog: models, providers, availability, checks'
            cand templates 'Sandbox templates: list, show, build'
            cand logs 'The run log: every model call and sandbox run, with search and cost totals'
            cand doctor 'What works on this machine, and how to fix what does not (exit 1 when the default path cannot work)'
            cand completions 'Print shell completions'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codingit;new'= {
            cand -t 'Template id, or `auto` to let the model choose'
            cand --template 'Template id, or `auto` to let the model choose'
            cand -m 'Model as provider/model or a unique bare id (default: config, then the first provider with a key)'
            cand --model 'Model as provider/model or a unique bare id (default: config, then the first provider with a key)'
            cand --repair-rounds 'Rounds in which an invalid answer goes back to the model for repair'
            cand --temperature 'Sampling temperature'
            cand -o 'Project folder (default: named from the fragment''s title)'
            cand --out 'Project folder (default: named from the fragment''s title)'
            cand --image 'Attach an image (repeatable; needs a multimodal model)'
            cand --system 'Add the instructions in FILE to the system prompt'
            cand --test 'A command run in the sandbox after the files are in place; exit 0 passes (repeatable; implies checking), e.g. --test "pytest -q"'
            cand --test-file 'A test file of yours copied into the sandbox, never editable by the model (repeatable; kept at its relative path, else by its name)'
            cand --check-path 'The path a web app must answer with a 2xx'
            cand --fix-rounds 'Rounds in which failed checks go back to the model for a fix (default 3; 0 = check only)'
            cand --max-cost 'Stop before a model call that could take the run past this cost in USD'
            cand --max-tokens 'Stop before a model call that could take the run past this many tokens'
            cand --max-time 'Stop once this much time has passed, sandbox time included (e.g. 5m)'
            cand --backend 'Sandbox backend'
            cand --memory 'Memory limit, e.g. 512m or 2g'
            cand --cpus 'CPU limit in cores'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --force 'Write into a folder that is not empty'
            cand --dry-run 'Print the fragment and write nothing'
            cand --run 'Run the project once written'
            cand --check 'Run the program in its sandbox after writing and judge it: the cell ends without an error, or the web app answers with a 2xx (also `check = true`)'
            cand --events 'Print one JSON event per line as things happen'
            cand --network 'Allow network access from the sandbox (off by default)'
            cand --unsafe-no-confinement 'DANGEROUS: run even when the kernel cannot enforce every confinement rule (local backend); prints a warning'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;chat'= {
            cand -C 'The folder: a project made by `new`, or any repository'
            cand --dir 'The folder: a project made by `new`, or any repository'
            cand -m 'Model as provider/model or a unique bare id (default: config, then the first provider with a key)'
            cand --model 'Model as provider/model or a unique bare id (default: config, then the first provider with a key)'
            cand --repair-rounds 'Rounds in which an invalid answer goes back to the model for repair'
            cand --temperature 'Sampling temperature'
            cand --image 'Attach an image (repeatable; needs a multimodal model)'
            cand --test 'A command run in the sandbox after the files are in place; exit 0 passes (repeatable; implies checking), e.g. --test "pytest -q"'
            cand --test-file 'A test file of yours copied into the sandbox, never editable by the model (repeatable; kept at its relative path, else by its name)'
            cand --check-path 'The path a web app must answer with a 2xx'
            cand --fix-rounds 'Rounds in which failed checks go back to the model for a fix (default 3; 0 = check only)'
            cand --max-cost 'Stop before a model call that could take the run past this cost in USD'
            cand --max-tokens 'Stop before a model call that could take the run past this many tokens'
            cand --max-time 'Stop once this much time has passed, sandbox time included (e.g. 5m)'
            cand --backend 'Sandbox backend'
            cand --memory 'Memory limit, e.g. 512m or 2g'
            cand --cpus 'CPU limit in cores'
            cand --file 'In a repository: a file or glob the model sees in full (repeatable; `-` reads a list from stdin, one per line). Default: chosen by relevance within the budget'
            cand --context-tokens 'In a repository: tokens of context (map and files) sent (default: from the model''s window)'
            cand --patch-out 'Also write the turn''s patch (git format) to this file'
            cand --branch 'Create this branch and switch to it before writing (with --commit)'
            cand -t 'In a repository: the template its code runs on for --check/--test (default: detected from package.json and imports, else the Python interpreter)'
            cand --template 'In a repository: the template its code runs on for --check/--test (default: detected from package.json and imports, else the Python interpreter)'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --lazy 'Answer with lazy edits per file instead of a whole new fragment'
            cand --dry-run 'Show the diff and write nothing'
            cand --undo 'Restore the project as it was before the last turn'
            cand --events 'Print one JSON event per line as things happen'
            cand --check 'Run the program in its sandbox after writing and judge it: the cell ends without an error, or the web app answers with a 2xx (also `check = true`)'
            cand --network 'Allow network access from the sandbox (off by default)'
            cand --unsafe-no-confinement 'DANGEROUS: run even when the kernel cannot enforce every confinement rule (local backend); prints a warning'
            cand --commit 'Commit exactly the changed files, with the turn''s commentary as the message'
            cand --allow-dirty 'Allow --commit on a work tree with uncommitted changes'
            cand --history-in-repo 'Keep a repository''s conversation in its `.codingit/` instead of the state folder'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;edit'= {
            cand --snippet 'Merge this edit (a file, or - for stdin) with no model'
            cand --patch 'Apply a `*** Begin Patch` over several files, all or none'
            cand --format 'Format of the edit'
            cand --output 'Write the merged file here (- for stdout) instead of in place'
            cand --applier 'Who merges the edit'
            cand -m 'Model as provider/model or a unique bare id (default: config, then the first provider with a key)'
            cand --model 'Model as provider/model or a unique bare id (default: config, then the first provider with a key)'
            cand --repair-rounds 'Rounds in which an invalid answer goes back to the model for repair'
            cand --temperature 'Sampling temperature'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --dry-run 'Print the unified diff and write nothing'
            cand --diff 'Print the diff of what was written'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;run'= {
            cand -t 'Template id (for a file or stdin; default from the extension)'
            cand --template 'Template id (for a file or stdin; default from the extension)'
            cand --artifacts 'Where charts and other results are saved'
            cand --timeout 'Lifetime of a detached sandbox, or the time limit of a run (e.g. 90s, 10m)'
            cand --test 'A command run in the sandbox after the files are in place; exit 0 passes (repeatable; implies checking), e.g. --test "pytest -q"'
            cand --test-file 'A test file of yours copied into the sandbox, never editable by the model (repeatable; kept at its relative path, else by its name)'
            cand --check-path 'The path a web app must answer with a 2xx'
            cand --backend 'Sandbox backend'
            cand --memory 'Memory limit, e.g. 512m or 2g'
            cand --cpus 'CPU limit in cores'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --detach 'Leave a web app running and print its id'
            cand --events 'Print one JSON event per line as things happen'
            cand --check 'Run the program in its sandbox after writing and judge it: the cell ends without an error, or the web app answers with a 2xx (also `check = true`)'
            cand --network 'Allow network access from the sandbox (off by default)'
            cand --unsafe-no-confinement 'DANGEROUS: run even when the kernel cannot enforce every confinement rule (local backend); prints a warning'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;files'= {
            cand --backend 'Only look in this backend (default: whichever holds the id)'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand ls 'List files (recursively with -r)'
            cand cat 'Print a file'
            cand write 'Write a file from --from FILE or stdin'
            cand rm 'Remove a file or folder'
            cand upload 'Copy a local file or folder into the sandbox'
            cand download 'Copy a file or folder out of the sandbox (never over an existing path without --force, never through a local symlink, never into `.git/`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codingit;files;ls'= {
            cand --backend 'Only look in this backend (default: whichever holds the id)'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand -r 'r'
            cand --recursive 'recursive'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;files;cat'= {
            cand --backend 'Only look in this backend (default: whichever holds the id)'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;files;write'= {
            cand --from 'from'
            cand --backend 'Only look in this backend (default: whichever holds the id)'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;files;rm'= {
            cand --backend 'Only look in this backend (default: whichever holds the id)'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;files;upload'= {
            cand --backend 'Only look in this backend (default: whichever holds the id)'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;files;download'= {
            cand --backend 'Only look in this backend (default: whichever holds the id)'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --force 'Replace an existing local file (or add into an existing folder)'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;files;help'= {
            cand ls 'List files (recursively with -r)'
            cand cat 'Print a file'
            cand write 'Write a file from --from FILE or stdin'
            cand rm 'Remove a file or folder'
            cand upload 'Copy a local file or folder into the sandbox'
            cand download 'Copy a file or folder out of the sandbox (never over an existing path without --force, never through a local symlink, never into `.git/`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codingit;files;help;ls'= {
        }
        &'codingit;files;help;cat'= {
        }
        &'codingit;files;help;write'= {
        }
        &'codingit;files;help;rm'= {
        }
        &'codingit;files;help;upload'= {
        }
        &'codingit;files;help;download'= {
        }
        &'codingit;files;help;help'= {
        }
        &'codingit;sandbox'= {
            cand --backend 'Only this backend (default: every usable one)'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand ls 'List live sandboxes with their remaining time'
            cand logs 'Show a sandbox''s logs'
            cand extend 'Give a sandbox more time'
            cand preview '(Re)open the preview of a sandbox''s web app; it lives as long as the sandbox'
            cand exec 'Run a command in a live sandbox, streaming its output; exits with the command''s own code (124 at --timeout, 128+n when ended by signal n)'
            cand kill 'Stop and remove sandboxes'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codingit;sandbox;ls'= {
            cand --backend 'Only this backend (default: every usable one)'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;sandbox;logs'= {
            cand --backend 'Only this backend (default: every usable one)'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand -f 'Keep following new output'
            cand --follow 'Keep following new output'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;sandbox;extend'= {
            cand --backend 'Only this backend (default: every usable one)'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;sandbox;preview'= {
            cand --backend 'Only this backend (default: every usable one)'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;sandbox;exec'= {
            cand --timeout 'Time limit (e.g. 30s, 5m); past it the command is killed (exit 124)'
            cand --cwd 'Working folder, relative to the sandbox home'
            cand --backend 'Only this backend (default: every usable one)'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;sandbox;kill'= {
            cand --backend 'Only this backend (default: every usable one)'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --all 'all'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;sandbox;help'= {
            cand ls 'List live sandboxes with their remaining time'
            cand logs 'Show a sandbox''s logs'
            cand extend 'Give a sandbox more time'
            cand preview '(Re)open the preview of a sandbox''s web app; it lives as long as the sandbox'
            cand exec 'Run a command in a live sandbox, streaming its output; exits with the command''s own code (124 at --timeout, 128+n when ended by signal n)'
            cand kill 'Stop and remove sandboxes'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codingit;sandbox;help;ls'= {
        }
        &'codingit;sandbox;help;logs'= {
        }
        &'codingit;sandbox;help;extend'= {
        }
        &'codingit;sandbox;help;preview'= {
        }
        &'codingit;sandbox;help;exec'= {
        }
        &'codingit;sandbox;help;kill'= {
        }
        &'codingit;sandbox;help;help'= {
        }
        &'codingit;models'= {
            cand --provider 'Only models of this provider'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --available 'Only models that can be used now (key set or local server up)'
            cand --multimodal 'Only models that accept images'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List models (the default)'
            cand show 'Show one model'
            cand providers 'List providers with their protocol, base URL and key status'
            cand check 'Make a minimal real request and report ok or the error, with latency'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codingit;models;list'= {
            cand --provider 'Only models of this provider'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --available 'Only models that can be used now (key set or local server up)'
            cand --multimodal 'Only models that accept images'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;models;show'= {
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;models;providers'= {
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;models;check'= {
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;models;help'= {
            cand list 'List models (the default)'
            cand show 'Show one model'
            cand providers 'List providers with their protocol, base URL and key status'
            cand check 'Make a minimal real request and report ok or the error, with latency'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codingit;models;help;list'= {
        }
        &'codingit;models;help;show'= {
        }
        &'codingit;models;help;providers'= {
        }
        &'codingit;models;help;check'= {
        }
        &'codingit;models;help;help'= {
        }
        &'codingit;templates'= {
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List templates (the default)'
            cand show 'Show one template'
            cand build 'Build a template''s sandbox image or local environment'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codingit;templates;list'= {
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;templates;show'= {
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;templates;build'= {
            cand --backend 'backend'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --all 'all'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;templates;help'= {
            cand list 'List templates (the default)'
            cand show 'Show one template'
            cand build 'Build a template''s sandbox image or local environment'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codingit;templates;help;list'= {
        }
        &'codingit;templates;help;show'= {
        }
        &'codingit;templates;help;build'= {
        }
        &'codingit;templates;help;help'= {
        }
        &'codingit;logs'= {
            cand -n 'How many of the latest records (0: all)'
            cand --count 'How many of the latest records (0: all)'
            cand --model 'Only this model (`provider/model` or the bare id)'
            cand --project 'Only this project folder'
            cand --since 'Only records newer than this (`1d`, `2h`, `30m`) or since this date (`2026-11-30`)'
            cand --command 'Only records of this command (`new`, `chat`, `edit`, `run`)'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --failed 'Only failures'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'The latest records (the default)'
            cand show 'One record in full: conversation, answer, usage, run, changed files'
            cand search 'Full-text search over prompts and answers (all words must match)'
            cand cost 'Token and cost totals'
            cand path 'Print the database''s path'
            cand prune 'Delete records older than a duration'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codingit;logs;list'= {
            cand -n 'How many of the latest records (0: all)'
            cand --count 'How many of the latest records (0: all)'
            cand --model 'Only this model (`provider/model` or the bare id)'
            cand --project 'Only this project folder'
            cand --since 'Only records newer than this (`1d`, `2h`, `30m`) or since this date (`2026-11-30`)'
            cand --command 'Only records of this command (`new`, `chat`, `edit`, `run`)'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --failed 'Only failures'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;logs;show'= {
            cand -n 'How many of the latest records (0: all)'
            cand --count 'How many of the latest records (0: all)'
            cand --model 'Only this model (`provider/model` or the bare id)'
            cand --project 'Only this project folder'
            cand --since 'Only records newer than this (`1d`, `2h`, `30m`) or since this date (`2026-11-30`)'
            cand --command 'Only records of this command (`new`, `chat`, `edit`, `run`)'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --failed 'Only failures'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;logs;search'= {
            cand -n 'How many of the latest records (0: all)'
            cand --count 'How many of the latest records (0: all)'
            cand --model 'Only this model (`provider/model` or the bare id)'
            cand --project 'Only this project folder'
            cand --since 'Only records newer than this (`1d`, `2h`, `30m`) or since this date (`2026-11-30`)'
            cand --command 'Only records of this command (`new`, `chat`, `edit`, `run`)'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --failed 'Only failures'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;logs;cost'= {
            cand --by 'by'
            cand -n 'How many of the latest records (0: all)'
            cand --count 'How many of the latest records (0: all)'
            cand --model 'Only this model (`provider/model` or the bare id)'
            cand --project 'Only this project folder'
            cand --since 'Only records newer than this (`1d`, `2h`, `30m`) or since this date (`2026-11-30`)'
            cand --command 'Only records of this command (`new`, `chat`, `edit`, `run`)'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --failed 'Only failures'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;logs;path'= {
            cand -n 'How many of the latest records (0: all)'
            cand --count 'How many of the latest records (0: all)'
            cand --model 'Only this model (`provider/model` or the bare id)'
            cand --project 'Only this project folder'
            cand --since 'Only records newer than this (`1d`, `2h`, `30m`) or since this date (`2026-11-30`)'
            cand --command 'Only records of this command (`new`, `chat`, `edit`, `run`)'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --failed 'Only failures'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;logs;prune'= {
            cand --older-than 'older-than'
            cand -n 'How many of the latest records (0: all)'
            cand --count 'How many of the latest records (0: all)'
            cand --model 'Only this model (`provider/model` or the bare id)'
            cand --project 'Only this project folder'
            cand --since 'Only records newer than this (`1d`, `2h`, `30m`) or since this date (`2026-11-30`)'
            cand --command 'Only records of this command (`new`, `chat`, `edit`, `run`)'
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --failed 'Only failures'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;logs;help'= {
            cand list 'The latest records (the default)'
            cand show 'One record in full: conversation, answer, usage, run, changed files'
            cand search 'Full-text search over prompts and answers (all words must match)'
            cand cost 'Token and cost totals'
            cand path 'Print the database''s path'
            cand prune 'Delete records older than a duration'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codingit;logs;help;list'= {
        }
        &'codingit;logs;help;show'= {
        }
        &'codingit;logs;help;search'= {
        }
        &'codingit;logs;help;cost'= {
        }
        &'codingit;logs;help;path'= {
        }
        &'codingit;logs;help;prune'= {
        }
        &'codingit;logs;help;help'= {
        }
        &'codingit;doctor'= {
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;completions'= {
            cand --color 'When to use colors'
            cand --config 'Use this config file instead of <config dir>/config.toml'
            cand --json 'Print one JSON document on stdout instead of human text'
            cand -q 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand --quiet 'Less output on stderr (-q: no progress, -qq: errors only)'
            cand -v 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --verbose 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
            cand --no-log 'Do not record this command in the run log (docs/logs.md)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'codingit;help'= {
            cand new 'Turn a sentence into a project folder (a fragment), optionally run it'
            cand chat 'Continue a project''s conversation, or change any repository: the model updates its files'
            cand edit 'Edit files on instruction, merging the model''s lazy edits locally'
            cand run 'Run a project, a file or stdin in a sandbox'
            cand files 'Files inside a live sandbox (confined to its home folder)'
            cand sandbox 'Live sandboxes: list, logs, exec, extend, kill'
            cand models 'The model catalog: models, providers, availability, checks'
            cand templates 'Sandbox templates: list, show, build'
            cand logs 'The run log: every model call and sandbox run, with search and cost totals'
            cand doctor 'What works on this machine, and how to fix what does not (exit 1 when the default path cannot work)'
            cand completions 'Print shell completions'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codingit;help;new'= {
        }
        &'codingit;help;chat'= {
        }
        &'codingit;help;edit'= {
        }
        &'codingit;help;run'= {
        }
        &'codingit;help;files'= {
            cand ls 'List files (recursively with -r)'
            cand cat 'Print a file'
            cand write 'Write a file from --from FILE or stdin'
            cand rm 'Remove a file or folder'
            cand upload 'Copy a local file or folder into the sandbox'
            cand download 'Copy a file or folder out of the sandbox (never over an existing path without --force, never through a local symlink, never into `.git/`)'
        }
        &'codingit;help;files;ls'= {
        }
        &'codingit;help;files;cat'= {
        }
        &'codingit;help;files;write'= {
        }
        &'codingit;help;files;rm'= {
        }
        &'codingit;help;files;upload'= {
        }
        &'codingit;help;files;download'= {
        }
        &'codingit;help;sandbox'= {
            cand ls 'List live sandboxes with their remaining time'
            cand logs 'Show a sandbox''s logs'
            cand extend 'Give a sandbox more time'
            cand preview '(Re)open the preview of a sandbox''s web app; it lives as long as the sandbox'
            cand exec 'Run a command in a live sandbox, streaming its output; exits with the command''s own code (124 at --timeout, 128+n when ended by signal n)'
            cand kill 'Stop and remove sandboxes'
        }
        &'codingit;help;sandbox;ls'= {
        }
        &'codingit;help;sandbox;logs'= {
        }
        &'codingit;help;sandbox;extend'= {
        }
        &'codingit;help;sandbox;preview'= {
        }
        &'codingit;help;sandbox;exec'= {
        }
        &'codingit;help;sandbox;kill'= {
        }
        &'codingit;help;models'= {
            cand list 'List models (the default)'
            cand show 'Show one model'
            cand providers 'List providers with their protocol, base URL and key status'
            cand check 'Make a minimal real request and report ok or the error, with latency'
        }
        &'codingit;help;models;list'= {
        }
        &'codingit;help;models;show'= {
        }
        &'codingit;help;models;providers'= {
        }
        &'codingit;help;models;check'= {
        }
        &'codingit;help;templates'= {
            cand list 'List templates (the default)'
            cand show 'Show one template'
            cand build 'Build a template''s sandbox image or local environment'
        }
        &'codingit;help;templates;list'= {
        }
        &'codingit;help;templates;show'= {
        }
        &'codingit;help;templates;build'= {
        }
        &'codingit;help;logs'= {
            cand list 'The latest records (the default)'
            cand show 'One record in full: conversation, answer, usage, run, changed files'
            cand search 'Full-text search over prompts and answers (all words must match)'
            cand cost 'Token and cost totals'
            cand path 'Print the database''s path'
            cand prune 'Delete records older than a duration'
        }
        &'codingit;help;logs;list'= {
        }
        &'codingit;help;logs;show'= {
        }
        &'codingit;help;logs;search'= {
        }
        &'codingit;help;logs;cost'= {
        }
        &'codingit;help;logs;path'= {
        }
        &'codingit;help;logs;prune'= {
        }
        &'codingit;help;doctor'= {
        }
        &'codingit;help;completions'= {
        }
        &'codingit;help;help'= {
        }
    ]
    $completions[$command]
}
