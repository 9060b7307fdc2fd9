# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_codingit_global_optspecs
    string join \n json q/quiet v/verbose color= config= no-log h/help V/version
end

function __fish_codingit_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_codingit_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_codingit_using_subcommand
    set -l cmd (__fish_codingit_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c codingit -n "__fish_codingit_needs_command" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_needs_command" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_needs_command" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_needs_command" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_needs_command" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_needs_command" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codingit -n "__fish_codingit_needs_command" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_needs_command" -f -a "new" -d 'Turn a sentence into a project folder (a fragment), optionally run it'
complete -c codingit -n "__fish_codingit_needs_command" -f -a "chat" -d 'Continue a project\'s conversation, or change any repository: the model updates its files'
complete -c codingit -n "__fish_codingit_needs_command" -f -a "edit" -d 'Edit files on instruction, merging the model\'s lazy edits locally'
complete -c codingit -n "__fish_codingit_needs_command" -f -a "run" -d 'Run a project, a file or stdin in a sandbox'
complete -c codingit -n "__fish_codingit_needs_command" -f -a "files" -d 'Files inside a live sandbox (confined to its home folder)'
complete -c codingit -n "__fish_codingit_needs_command" -f -a "sandbox" -d 'Live sandboxes: list, logs, exec, extend, kill'
complete -c codingit -n "__fish_codingit_needs_command" -f -a "models" -d 'The model catalog: models, providers, availability, checks'
complete -c codingit -n "__fish_codingit_needs_command" -f -a "templates" -d 'Sandbox templates: list, show, build'
complete -c codingit -n "__fish_codingit_needs_command" -f -a "logs" -d 'The run log: every model call and sandbox run, with search and cost totals'
complete -c codingit -n "__fish_codingit_needs_command" -f -a "doctor" -d 'What works on this machine, and how to fix what does not (exit 1 when the default path cannot work)'
complete -c codingit -n "__fish_codingit_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c codingit -n "__fish_codingit_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codingit -n "__fish_codingit_using_subcommand new" -s t -l template -d 'Template id, or `auto` to let the model choose' -r
complete -c codingit -n "__fish_codingit_using_subcommand new" -s m -l model -d 'Model as provider/model or a unique bare id (default: config, then the first provider with a key)' -r
complete -c codingit -n "__fish_codingit_using_subcommand new" -l repair-rounds -d 'Rounds in which an invalid answer goes back to the model for repair' -r
complete -c codingit -n "__fish_codingit_using_subcommand new" -l temperature -d 'Sampling temperature' -r
complete -c codingit -n "__fish_codingit_using_subcommand new" -s o -l out -d 'Project folder (default: named from the fragment\'s title)' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand new" -l image -d 'Attach an image (repeatable; needs a multimodal model)' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand new" -l system -d 'Add the instructions in FILE to the system prompt' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand new" -l test -d 'A command run in the sandbox after the files are in place; exit 0 passes (repeatable; implies checking), e.g. --test "pytest -q"' -r
complete -c codingit -n "__fish_codingit_using_subcommand new" -l test-file -d 'A test file of yours copied into the sandbox, never editable by the model (repeatable; kept at its relative path, else by its name)' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand new" -l check-path -d 'The path a web app must answer with a 2xx' -r
complete -c codingit -n "__fish_codingit_using_subcommand new" -l fix-rounds -d 'Rounds in which failed checks go back to the model for a fix (default 3; 0 = check only)' -r
complete -c codingit -n "__fish_codingit_using_subcommand new" -l max-cost -d 'Stop before a model call that could take the run past this cost in USD' -r
complete -c codingit -n "__fish_codingit_using_subcommand new" -l max-tokens -d 'Stop before a model call that could take the run past this many tokens' -r
complete -c codingit -n "__fish_codingit_using_subcommand new" -l max-time -d 'Stop once this much time has passed, sandbox time included (e.g. 5m)' -r
complete -c codingit -n "__fish_codingit_using_subcommand new" -l backend -d 'Sandbox backend' -r -f -a "auto\t''
docker\t''
local\t''
e2b\t'E2B cloud, self-hosted E2B or a compatible operator (E2B_API_KEY; never auto)'"
complete -c codingit -n "__fish_codingit_using_subcommand new" -l memory -d 'Memory limit, e.g. 512m or 2g' -r
complete -c codingit -n "__fish_codingit_using_subcommand new" -l cpus -d 'CPU limit in cores' -r
complete -c codingit -n "__fish_codingit_using_subcommand new" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand new" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand new" -l force -d 'Write into a folder that is not empty'
complete -c codingit -n "__fish_codingit_using_subcommand new" -l dry-run -d 'Print the fragment and write nothing'
complete -c codingit -n "__fish_codingit_using_subcommand new" -l run -d 'Run the project once written'
complete -c codingit -n "__fish_codingit_using_subcommand new" -l check -d 'Run the program in its sandbox after writing and judge it: the cell ends without an error, or the web app answers with a 2xx (also `check = true`)'
complete -c codingit -n "__fish_codingit_using_subcommand new" -l events -d 'Print one JSON event per line as things happen'
complete -c codingit -n "__fish_codingit_using_subcommand new" -l network -d 'Allow network access from the sandbox (off by default)'
complete -c codingit -n "__fish_codingit_using_subcommand new" -l unsafe-no-confinement -d 'DANGEROUS: run even when the kernel cannot enforce every confinement rule (local backend); prints a warning'
complete -c codingit -n "__fish_codingit_using_subcommand new" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand new" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand new" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand new" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand new" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codingit -n "__fish_codingit_using_subcommand new" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand chat" -s C -l dir -d 'The folder: a project made by `new`, or any repository' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand chat" -s m -l model -d 'Model as provider/model or a unique bare id (default: config, then the first provider with a key)' -r
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l repair-rounds -d 'Rounds in which an invalid answer goes back to the model for repair' -r
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l temperature -d 'Sampling temperature' -r
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l image -d 'Attach an image (repeatable; needs a multimodal model)' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l test -d 'A command run in the sandbox after the files are in place; exit 0 passes (repeatable; implies checking), e.g. --test "pytest -q"' -r
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l test-file -d 'A test file of yours copied into the sandbox, never editable by the model (repeatable; kept at its relative path, else by its name)' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l check-path -d 'The path a web app must answer with a 2xx' -r
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l fix-rounds -d 'Rounds in which failed checks go back to the model for a fix (default 3; 0 = check only)' -r
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l max-cost -d 'Stop before a model call that could take the run past this cost in USD' -r
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l max-tokens -d 'Stop before a model call that could take the run past this many tokens' -r
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l max-time -d 'Stop once this much time has passed, sandbox time included (e.g. 5m)' -r
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l backend -d 'Sandbox backend' -r -f -a "auto\t''
docker\t''
local\t''
e2b\t'E2B cloud, self-hosted E2B or a compatible operator (E2B_API_KEY; never auto)'"
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l memory -d 'Memory limit, e.g. 512m or 2g' -r
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l cpus -d 'CPU limit in cores' -r
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l file -d 'In a repository: a file or glob the model sees in full (repeatable; `-` reads a list from stdin, one per line). Default: chosen by relevance within the budget' -r
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l context-tokens -d 'In a repository: tokens of context (map and files) sent (default: from the model\'s window)' -r
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l patch-out -d 'Also write the turn\'s patch (git format) to this file' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l branch -d 'Create this branch and switch to it before writing (with --commit)' -r
complete -c codingit -n "__fish_codingit_using_subcommand chat" -s t -l template -d 'In a repository: the template its code runs on for --check/--test (default: detected from package.json and imports, else the Python interpreter)' -r
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l lazy -d 'Answer with lazy edits per file instead of a whole new fragment'
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l dry-run -d 'Show the diff and write nothing'
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l undo -d 'Restore the project as it was before the last turn'
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l events -d 'Print one JSON event per line as things happen'
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l check -d 'Run the program in its sandbox after writing and judge it: the cell ends without an error, or the web app answers with a 2xx (also `check = true`)'
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l network -d 'Allow network access from the sandbox (off by default)'
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l unsafe-no-confinement -d 'DANGEROUS: run even when the kernel cannot enforce every confinement rule (local backend); prints a warning'
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l commit -d 'Commit exactly the changed files, with the turn\'s commentary as the message'
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l allow-dirty -d 'Allow --commit on a work tree with uncommitted changes'
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l history-in-repo -d 'Keep a repository\'s conversation in its `.codingit/` instead of the state folder'
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand chat" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand chat" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand chat" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand chat" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codingit -n "__fish_codingit_using_subcommand chat" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand edit" -l snippet -d 'Merge this edit (a file, or - for stdin) with no model' -r
complete -c codingit -n "__fish_codingit_using_subcommand edit" -l patch -d 'Apply a `*** Begin Patch` over several files, all or none' -r
complete -c codingit -n "__fish_codingit_using_subcommand edit" -l format -d 'Format of the edit' -r -f -a "auto\t''
lazy\t''
search-replace\t''
patch\t''
udiff\t''"
complete -c codingit -n "__fish_codingit_using_subcommand edit" -l output -d 'Write the merged file here (- for stdout) instead of in place' -r
complete -c codingit -n "__fish_codingit_using_subcommand edit" -l applier -d 'Who merges the edit' -r -f -a "local\t'The local deterministic merge'
morph\t'Morph\'s fast-apply API (needs MORPH_API_KEY)'"
complete -c codingit -n "__fish_codingit_using_subcommand edit" -s m -l model -d 'Model as provider/model or a unique bare id (default: config, then the first provider with a key)' -r
complete -c codingit -n "__fish_codingit_using_subcommand edit" -l repair-rounds -d 'Rounds in which an invalid answer goes back to the model for repair' -r
complete -c codingit -n "__fish_codingit_using_subcommand edit" -l temperature -d 'Sampling temperature' -r
complete -c codingit -n "__fish_codingit_using_subcommand edit" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand edit" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand edit" -l dry-run -d 'Print the unified diff and write nothing'
complete -c codingit -n "__fish_codingit_using_subcommand edit" -l diff -d 'Print the diff of what was written'
complete -c codingit -n "__fish_codingit_using_subcommand edit" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand edit" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand edit" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand edit" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand edit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codingit -n "__fish_codingit_using_subcommand edit" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand run" -s t -l template -d 'Template id (for a file or stdin; default from the extension)' -r
complete -c codingit -n "__fish_codingit_using_subcommand run" -l artifacts -d 'Where charts and other results are saved' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand run" -l timeout -d 'Lifetime of a detached sandbox, or the time limit of a run (e.g. 90s, 10m)' -r
complete -c codingit -n "__fish_codingit_using_subcommand run" -l test -d 'A command run in the sandbox after the files are in place; exit 0 passes (repeatable; implies checking), e.g. --test "pytest -q"' -r
complete -c codingit -n "__fish_codingit_using_subcommand run" -l test-file -d 'A test file of yours copied into the sandbox, never editable by the model (repeatable; kept at its relative path, else by its name)' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand run" -l check-path -d 'The path a web app must answer with a 2xx' -r
complete -c codingit -n "__fish_codingit_using_subcommand run" -l backend -d 'Sandbox backend' -r -f -a "auto\t''
docker\t''
local\t''
e2b\t'E2B cloud, self-hosted E2B or a compatible operator (E2B_API_KEY; never auto)'"
complete -c codingit -n "__fish_codingit_using_subcommand run" -l memory -d 'Memory limit, e.g. 512m or 2g' -r
complete -c codingit -n "__fish_codingit_using_subcommand run" -l cpus -d 'CPU limit in cores' -r
complete -c codingit -n "__fish_codingit_using_subcommand run" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand run" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand run" -l detach -d 'Leave a web app running and print its id'
complete -c codingit -n "__fish_codingit_using_subcommand run" -l events -d 'Print one JSON event per line as things happen'
complete -c codingit -n "__fish_codingit_using_subcommand run" -l check -d 'Run the program in its sandbox after writing and judge it: the cell ends without an error, or the web app answers with a 2xx (also `check = true`)'
complete -c codingit -n "__fish_codingit_using_subcommand run" -l network -d 'Allow network access from the sandbox (off by default)'
complete -c codingit -n "__fish_codingit_using_subcommand run" -l unsafe-no-confinement -d 'DANGEROUS: run even when the kernel cannot enforce every confinement rule (local backend); prints a warning'
complete -c codingit -n "__fish_codingit_using_subcommand run" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand run" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand run" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand run" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codingit -n "__fish_codingit_using_subcommand run" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand files; and not __fish_seen_subcommand_from ls cat write rm upload download help" -l backend -d 'Only look in this backend (default: whichever holds the id)' -r -f -a "auto\t''
docker\t''
local\t''
e2b\t'E2B cloud, self-hosted E2B or a compatible operator (E2B_API_KEY; never auto)'"
complete -c codingit -n "__fish_codingit_using_subcommand files; and not __fish_seen_subcommand_from ls cat write rm upload download help" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand files; and not __fish_seen_subcommand_from ls cat write rm upload download help" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand files; and not __fish_seen_subcommand_from ls cat write rm upload download help" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand files; and not __fish_seen_subcommand_from ls cat write rm upload download help" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and not __fish_seen_subcommand_from ls cat write rm upload download help" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and not __fish_seen_subcommand_from ls cat write rm upload download help" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and not __fish_seen_subcommand_from ls cat write rm upload download help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codingit -n "__fish_codingit_using_subcommand files; and not __fish_seen_subcommand_from ls cat write rm upload download help" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand files; and not __fish_seen_subcommand_from ls cat write rm upload download help" -a "ls" -d 'List files (recursively with -r)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and not __fish_seen_subcommand_from ls cat write rm upload download help" -a "cat" -d 'Print a file'
complete -c codingit -n "__fish_codingit_using_subcommand files; and not __fish_seen_subcommand_from ls cat write rm upload download help" -a "write" -d 'Write a file from --from FILE or stdin'
complete -c codingit -n "__fish_codingit_using_subcommand files; and not __fish_seen_subcommand_from ls cat write rm upload download help" -a "rm" -d 'Remove a file or folder'
complete -c codingit -n "__fish_codingit_using_subcommand files; and not __fish_seen_subcommand_from ls cat write rm upload download help" -a "upload" -d 'Copy a local file or folder into the sandbox'
complete -c codingit -n "__fish_codingit_using_subcommand files; and not __fish_seen_subcommand_from ls cat write rm upload download help" -a "download" -d 'Copy a file or folder out of the sandbox (never over an existing path without --force, never through a local symlink, never into `.git/`)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and not __fish_seen_subcommand_from ls cat write rm upload download help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from ls" -l backend -d 'Only look in this backend (default: whichever holds the id)' -r -f -a "auto\t''
docker\t''
local\t''
e2b\t'E2B cloud, self-hosted E2B or a compatible operator (E2B_API_KEY; never auto)'"
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from ls" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from ls" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from ls" -s r -l recursive
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from ls" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from ls" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from ls" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from cat" -l backend -d 'Only look in this backend (default: whichever holds the id)' -r -f -a "auto\t''
docker\t''
local\t''
e2b\t'E2B cloud, self-hosted E2B or a compatible operator (E2B_API_KEY; never auto)'"
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from cat" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from cat" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from cat" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from cat" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from cat" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from cat" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from cat" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from cat" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from write" -l from -r
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from write" -l backend -d 'Only look in this backend (default: whichever holds the id)' -r -f -a "auto\t''
docker\t''
local\t''
e2b\t'E2B cloud, self-hosted E2B or a compatible operator (E2B_API_KEY; never auto)'"
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from write" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from write" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from write" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from write" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from write" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from write" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from write" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from write" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from rm" -l backend -d 'Only look in this backend (default: whichever holds the id)' -r -f -a "auto\t''
docker\t''
local\t''
e2b\t'E2B cloud, self-hosted E2B or a compatible operator (E2B_API_KEY; never auto)'"
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from rm" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from rm" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from rm" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from rm" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from rm" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from upload" -l backend -d 'Only look in this backend (default: whichever holds the id)' -r -f -a "auto\t''
docker\t''
local\t''
e2b\t'E2B cloud, self-hosted E2B or a compatible operator (E2B_API_KEY; never auto)'"
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from upload" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from upload" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from upload" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from upload" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from upload" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from upload" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from upload" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from upload" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from download" -l backend -d 'Only look in this backend (default: whichever holds the id)' -r -f -a "auto\t''
docker\t''
local\t''
e2b\t'E2B cloud, self-hosted E2B or a compatible operator (E2B_API_KEY; never auto)'"
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from download" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from download" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from download" -l force -d 'Replace an existing local file (or add into an existing folder)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from download" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from download" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from download" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from download" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from download" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from download" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List files (recursively with -r)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from help" -f -a "cat" -d 'Print a file'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from help" -f -a "write" -d 'Write a file from --from FILE or stdin'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove a file or folder'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from help" -f -a "upload" -d 'Copy a local file or folder into the sandbox'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from help" -f -a "download" -d 'Copy a file or folder out of the sandbox (never over an existing path without --force, never through a local symlink, never into `.git/`)'
complete -c codingit -n "__fish_codingit_using_subcommand files; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and not __fish_seen_subcommand_from ls logs extend preview exec kill help" -l backend -d 'Only this backend (default: every usable one)' -r -f -a "auto\t''
docker\t''
local\t''
e2b\t'E2B cloud, self-hosted E2B or a compatible operator (E2B_API_KEY; never auto)'"
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and not __fish_seen_subcommand_from ls logs extend preview exec kill help" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and not __fish_seen_subcommand_from ls logs extend preview exec kill help" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and not __fish_seen_subcommand_from ls logs extend preview exec kill help" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and not __fish_seen_subcommand_from ls logs extend preview exec kill help" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and not __fish_seen_subcommand_from ls logs extend preview exec kill help" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and not __fish_seen_subcommand_from ls logs extend preview exec kill help" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and not __fish_seen_subcommand_from ls logs extend preview exec kill help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and not __fish_seen_subcommand_from ls logs extend preview exec kill help" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and not __fish_seen_subcommand_from ls logs extend preview exec kill help" -f -a "ls" -d 'List live sandboxes with their remaining time'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and not __fish_seen_subcommand_from ls logs extend preview exec kill help" -f -a "logs" -d 'Show a sandbox\'s logs'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and not __fish_seen_subcommand_from ls logs extend preview exec kill help" -f -a "extend" -d 'Give a sandbox more time'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and not __fish_seen_subcommand_from ls logs extend preview exec kill help" -f -a "preview" -d '(Re)open the preview of a sandbox\'s web app; it lives as long as the sandbox'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and not __fish_seen_subcommand_from ls logs extend preview exec kill help" -f -a "exec" -d 'Run a command in a live sandbox, streaming its output; exits with the command\'s own code (124 at --timeout, 128+n when ended by signal n)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and not __fish_seen_subcommand_from ls logs extend preview exec kill help" -f -a "kill" -d 'Stop and remove sandboxes'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and not __fish_seen_subcommand_from ls logs extend preview exec kill help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from ls" -l backend -d 'Only this backend (default: every usable one)' -r -f -a "auto\t''
docker\t''
local\t''
e2b\t'E2B cloud, self-hosted E2B or a compatible operator (E2B_API_KEY; never auto)'"
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from ls" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from ls" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from ls" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from ls" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from ls" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from logs" -l backend -d 'Only this backend (default: every usable one)' -r -f -a "auto\t''
docker\t''
local\t''
e2b\t'E2B cloud, self-hosted E2B or a compatible operator (E2B_API_KEY; never auto)'"
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from logs" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from logs" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from logs" -s f -l follow -d 'Keep following new output'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from logs" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from logs" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from logs" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from logs" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from logs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from logs" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from extend" -l backend -d 'Only this backend (default: every usable one)' -r -f -a "auto\t''
docker\t''
local\t''
e2b\t'E2B cloud, self-hosted E2B or a compatible operator (E2B_API_KEY; never auto)'"
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from extend" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from extend" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from extend" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from extend" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from extend" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from extend" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from extend" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from extend" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from preview" -l backend -d 'Only this backend (default: every usable one)' -r -f -a "auto\t''
docker\t''
local\t''
e2b\t'E2B cloud, self-hosted E2B or a compatible operator (E2B_API_KEY; never auto)'"
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from preview" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from preview" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from preview" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from preview" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from preview" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from preview" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from preview" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from preview" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from exec" -l timeout -d 'Time limit (e.g. 30s, 5m); past it the command is killed (exit 124)' -r
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from exec" -l cwd -d 'Working folder, relative to the sandbox home' -r
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from exec" -l backend -d 'Only this backend (default: every usable one)' -r -f -a "auto\t''
docker\t''
local\t''
e2b\t'E2B cloud, self-hosted E2B or a compatible operator (E2B_API_KEY; never auto)'"
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from exec" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from exec" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from exec" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from exec" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from exec" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from exec" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from exec" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from kill" -l backend -d 'Only this backend (default: every usable one)' -r -f -a "auto\t''
docker\t''
local\t''
e2b\t'E2B cloud, self-hosted E2B or a compatible operator (E2B_API_KEY; never auto)'"
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from kill" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from kill" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from kill" -l all
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from kill" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from kill" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from kill" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from kill" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from kill" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from kill" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List live sandboxes with their remaining time'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from help" -f -a "logs" -d 'Show a sandbox\'s logs'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from help" -f -a "extend" -d 'Give a sandbox more time'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from help" -f -a "preview" -d '(Re)open the preview of a sandbox\'s web app; it lives as long as the sandbox'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from help" -f -a "exec" -d 'Run a command in a live sandbox, streaming its output; exits with the command\'s own code (124 at --timeout, 128+n when ended by signal n)'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from help" -f -a "kill" -d 'Stop and remove sandboxes'
complete -c codingit -n "__fish_codingit_using_subcommand sandbox; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codingit -n "__fish_codingit_using_subcommand models; and not __fish_seen_subcommand_from list show providers check help" -l provider -d 'Only models of this provider' -r
complete -c codingit -n "__fish_codingit_using_subcommand models; and not __fish_seen_subcommand_from list show providers check help" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand models; and not __fish_seen_subcommand_from list show providers check help" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand models; and not __fish_seen_subcommand_from list show providers check help" -l available -d 'Only models that can be used now (key set or local server up)'
complete -c codingit -n "__fish_codingit_using_subcommand models; and not __fish_seen_subcommand_from list show providers check help" -l multimodal -d 'Only models that accept images'
complete -c codingit -n "__fish_codingit_using_subcommand models; and not __fish_seen_subcommand_from list show providers check help" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand models; and not __fish_seen_subcommand_from list show providers check help" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand models; and not __fish_seen_subcommand_from list show providers check help" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand models; and not __fish_seen_subcommand_from list show providers check help" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand models; and not __fish_seen_subcommand_from list show providers check help" -s h -l help -d 'Print help'
complete -c codingit -n "__fish_codingit_using_subcommand models; and not __fish_seen_subcommand_from list show providers check help" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand models; and not __fish_seen_subcommand_from list show providers check help" -f -a "list" -d 'List models (the default)'
complete -c codingit -n "__fish_codingit_using_subcommand models; and not __fish_seen_subcommand_from list show providers check help" -f -a "show" -d 'Show one model'
complete -c codingit -n "__fish_codingit_using_subcommand models; and not __fish_seen_subcommand_from list show providers check help" -f -a "providers" -d 'List providers with their protocol, base URL and key status'
complete -c codingit -n "__fish_codingit_using_subcommand models; and not __fish_seen_subcommand_from list show providers check help" -f -a "check" -d 'Make a minimal real request and report ok or the error, with latency'
complete -c codingit -n "__fish_codingit_using_subcommand models; and not __fish_seen_subcommand_from list show providers check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from list" -l provider -d 'Only models of this provider' -r
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from list" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from list" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from list" -l available -d 'Only models that can be used now (key set or local server up)'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from list" -l multimodal -d 'Only models that accept images'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from list" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from list" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from show" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from show" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from show" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from show" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from providers" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from providers" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from providers" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from providers" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from providers" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from providers" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from providers" -s h -l help -d 'Print help'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from providers" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from check" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from check" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from check" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from check" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from check" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from help" -f -a "list" -d 'List models (the default)'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one model'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from help" -f -a "providers" -d 'List providers with their protocol, base URL and key status'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from help" -f -a "check" -d 'Make a minimal real request and report ok or the error, with latency'
complete -c codingit -n "__fish_codingit_using_subcommand models; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and not __fish_seen_subcommand_from list show build help" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand templates; and not __fish_seen_subcommand_from list show build help" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand templates; and not __fish_seen_subcommand_from list show build help" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and not __fish_seen_subcommand_from list show build help" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and not __fish_seen_subcommand_from list show build help" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and not __fish_seen_subcommand_from list show build help" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and not __fish_seen_subcommand_from list show build help" -s h -l help -d 'Print help'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and not __fish_seen_subcommand_from list show build help" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and not __fish_seen_subcommand_from list show build help" -f -a "list" -d 'List templates (the default)'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and not __fish_seen_subcommand_from list show build help" -f -a "show" -d 'Show one template'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and not __fish_seen_subcommand_from list show build help" -f -a "build" -d 'Build a template\'s sandbox image or local environment'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and not __fish_seen_subcommand_from list show build help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from list" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from list" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from list" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from list" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from show" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from show" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from show" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from show" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from build" -l backend -r -f -a "auto\t''
docker\t''
local\t''
e2b\t'E2B cloud, self-hosted E2B or a compatible operator (E2B_API_KEY; never auto)'"
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from build" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from build" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from build" -l all
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from build" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from build" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from build" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from build" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from build" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from build" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from help" -f -a "list" -d 'List templates (the default)'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one template'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from help" -f -a "build" -d 'Build a template\'s sandbox image or local environment'
complete -c codingit -n "__fish_codingit_using_subcommand templates; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and not __fish_seen_subcommand_from list show search cost path prune help" -s n -l count -d 'How many of the latest records (0: all)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and not __fish_seen_subcommand_from list show search cost path prune help" -l model -d 'Only this model (`provider/model` or the bare id)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and not __fish_seen_subcommand_from list show search cost path prune help" -l project -d 'Only this project folder' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and not __fish_seen_subcommand_from list show search cost path prune help" -l since -d 'Only records newer than this (`1d`, `2h`, `30m`) or since this date (`2026-11-30`)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and not __fish_seen_subcommand_from list show search cost path prune help" -l command -d 'Only records of this command (`new`, `chat`, `edit`, `run`)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and not __fish_seen_subcommand_from list show search cost path prune help" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand logs; and not __fish_seen_subcommand_from list show search cost path prune help" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand logs; and not __fish_seen_subcommand_from list show search cost path prune help" -l failed -d 'Only failures'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and not __fish_seen_subcommand_from list show search cost path prune help" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and not __fish_seen_subcommand_from list show search cost path prune help" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and not __fish_seen_subcommand_from list show search cost path prune help" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and not __fish_seen_subcommand_from list show search cost path prune help" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and not __fish_seen_subcommand_from list show search cost path prune help" -s h -l help -d 'Print help'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and not __fish_seen_subcommand_from list show search cost path prune help" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and not __fish_seen_subcommand_from list show search cost path prune help" -f -a "list" -d 'The latest records (the default)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and not __fish_seen_subcommand_from list show search cost path prune help" -f -a "show" -d 'One record in full: conversation, answer, usage, run, changed files'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and not __fish_seen_subcommand_from list show search cost path prune help" -f -a "search" -d 'Full-text search over prompts and answers (all words must match)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and not __fish_seen_subcommand_from list show search cost path prune help" -f -a "cost" -d 'Token and cost totals'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and not __fish_seen_subcommand_from list show search cost path prune help" -f -a "path" -d 'Print the database\'s path'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and not __fish_seen_subcommand_from list show search cost path prune help" -f -a "prune" -d 'Delete records older than a duration'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and not __fish_seen_subcommand_from list show search cost path prune help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from list" -s n -l count -d 'How many of the latest records (0: all)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from list" -l model -d 'Only this model (`provider/model` or the bare id)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from list" -l project -d 'Only this project folder' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from list" -l since -d 'Only records newer than this (`1d`, `2h`, `30m`) or since this date (`2026-11-30`)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from list" -l command -d 'Only records of this command (`new`, `chat`, `edit`, `run`)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from list" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from list" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from list" -l failed -d 'Only failures'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from list" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from list" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from show" -s n -l count -d 'How many of the latest records (0: all)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from show" -l model -d 'Only this model (`provider/model` or the bare id)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from show" -l project -d 'Only this project folder' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from show" -l since -d 'Only records newer than this (`1d`, `2h`, `30m`) or since this date (`2026-11-30`)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from show" -l command -d 'Only records of this command (`new`, `chat`, `edit`, `run`)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from show" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from show" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from show" -l failed -d 'Only failures'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from show" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from show" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from search" -s n -l count -d 'How many of the latest records (0: all)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from search" -l model -d 'Only this model (`provider/model` or the bare id)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from search" -l project -d 'Only this project folder' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from search" -l since -d 'Only records newer than this (`1d`, `2h`, `30m`) or since this date (`2026-11-30`)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from search" -l command -d 'Only records of this command (`new`, `chat`, `edit`, `run`)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from search" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from search" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from search" -l failed -d 'Only failures'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from search" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from search" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from search" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from search" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from search" -s h -l help -d 'Print help'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from search" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from cost" -l by -r -f -a "model\t''
day\t''
project\t''"
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from cost" -s n -l count -d 'How many of the latest records (0: all)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from cost" -l model -d 'Only this model (`provider/model` or the bare id)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from cost" -l project -d 'Only this project folder' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from cost" -l since -d 'Only records newer than this (`1d`, `2h`, `30m`) or since this date (`2026-11-30`)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from cost" -l command -d 'Only records of this command (`new`, `chat`, `edit`, `run`)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from cost" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from cost" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from cost" -l failed -d 'Only failures'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from cost" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from cost" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from cost" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from cost" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from cost" -s h -l help -d 'Print help'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from cost" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from path" -s n -l count -d 'How many of the latest records (0: all)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from path" -l model -d 'Only this model (`provider/model` or the bare id)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from path" -l project -d 'Only this project folder' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from path" -l since -d 'Only records newer than this (`1d`, `2h`, `30m`) or since this date (`2026-11-30`)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from path" -l command -d 'Only records of this command (`new`, `chat`, `edit`, `run`)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from path" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from path" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from path" -l failed -d 'Only failures'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from path" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from path" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from path" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from path" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from path" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from prune" -l older-than -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from prune" -s n -l count -d 'How many of the latest records (0: all)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from prune" -l model -d 'Only this model (`provider/model` or the bare id)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from prune" -l project -d 'Only this project folder' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from prune" -l since -d 'Only records newer than this (`1d`, `2h`, `30m`) or since this date (`2026-11-30`)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from prune" -l command -d 'Only records of this command (`new`, `chat`, `edit`, `run`)' -r
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from prune" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from prune" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from prune" -l failed -d 'Only failures'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from prune" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from prune" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from prune" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from prune" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from help" -f -a "list" -d 'The latest records (the default)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from help" -f -a "show" -d 'One record in full: conversation, answer, usage, run, changed files'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from help" -f -a "search" -d 'Full-text search over prompts and answers (all words must match)'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from help" -f -a "cost" -d 'Token and cost totals'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print the database\'s path'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Delete records older than a duration'
complete -c codingit -n "__fish_codingit_using_subcommand logs; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codingit -n "__fish_codingit_using_subcommand doctor" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand doctor" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand doctor" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand doctor" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand doctor" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand doctor" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c codingit -n "__fish_codingit_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand completions" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codingit -n "__fish_codingit_using_subcommand completions" -l config -d 'Use this config file instead of <config dir>/config.toml' -r -F
complete -c codingit -n "__fish_codingit_using_subcommand completions" -l json -d 'Print one JSON document on stdout instead of human text'
complete -c codingit -n "__fish_codingit_using_subcommand completions" -s q -l quiet -d 'Less output on stderr (-q: no progress, -qq: errors only)'
complete -c codingit -n "__fish_codingit_using_subcommand completions" -s v -l verbose -d 'More output on stderr (-v: info, -vv: debug, -vvv: trace)'
complete -c codingit -n "__fish_codingit_using_subcommand completions" -l no-log -d 'Do not record this command in the run log (docs/logs.md)'
complete -c codingit -n "__fish_codingit_using_subcommand completions" -s h -l help -d 'Print help'
complete -c codingit -n "__fish_codingit_using_subcommand completions" -s V -l version -d 'Print version'
complete -c codingit -n "__fish_codingit_using_subcommand help; and not __fish_seen_subcommand_from new chat edit run files sandbox models templates logs doctor completions help" -f -a "new" -d 'Turn a sentence into a project folder (a fragment), optionally run it'
complete -c codingit -n "__fish_codingit_using_subcommand help; and not __fish_seen_subcommand_from new chat edit run files sandbox models templates logs doctor completions help" -f -a "chat" -d 'Continue a project\'s conversation, or change any repository: the model updates its files'
complete -c codingit -n "__fish_codingit_using_subcommand help; and not __fish_seen_subcommand_from new chat edit run files sandbox models templates logs doctor completions help" -f -a "edit" -d 'Edit files on instruction, merging the model\'s lazy edits locally'
complete -c codingit -n "__fish_codingit_using_subcommand help; and not __fish_seen_subcommand_from new chat edit run files sandbox models templates logs doctor completions help" -f -a "run" -d 'Run a project, a file or stdin in a sandbox'
complete -c codingit -n "__fish_codingit_using_subcommand help; and not __fish_seen_subcommand_from new chat edit run files sandbox models templates logs doctor completions help" -f -a "files" -d 'Files inside a live sandbox (confined to its home folder)'
complete -c codingit -n "__fish_codingit_using_subcommand help; and not __fish_seen_subcommand_from new chat edit run files sandbox models templates logs doctor completions help" -f -a "sandbox" -d 'Live sandboxes: list, logs, exec, extend, kill'
complete -c codingit -n "__fish_codingit_using_subcommand help; and not __fish_seen_subcommand_from new chat edit run files sandbox models templates logs doctor completions help" -f -a "models" -d 'The model catalog: models, providers, availability, checks'
complete -c codingit -n "__fish_codingit_using_subcommand help; and not __fish_seen_subcommand_from new chat edit run files sandbox models templates logs doctor completions help" -f -a "templates" -d 'Sandbox templates: list, show, build'
complete -c codingit -n "__fish_codingit_using_subcommand help; and not __fish_seen_subcommand_from new chat edit run files sandbox models templates logs doctor completions help" -f -a "logs" -d 'The run log: every model call and sandbox run, with search and cost totals'
complete -c codingit -n "__fish_codingit_using_subcommand help; and not __fish_seen_subcommand_from new chat edit run files sandbox models templates logs doctor completions help" -f -a "doctor" -d 'What works on this machine, and how to fix what does not (exit 1 when the default path cannot work)'
complete -c codingit -n "__fish_codingit_using_subcommand help; and not __fish_seen_subcommand_from new chat edit run files sandbox models templates logs doctor completions help" -f -a "completions" -d 'Print shell completions'
complete -c codingit -n "__fish_codingit_using_subcommand help; and not __fish_seen_subcommand_from new chat edit run files sandbox models templates logs doctor completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from files" -f -a "ls" -d 'List files (recursively with -r)'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from files" -f -a "cat" -d 'Print a file'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from files" -f -a "write" -d 'Write a file from --from FILE or stdin'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from files" -f -a "rm" -d 'Remove a file or folder'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from files" -f -a "upload" -d 'Copy a local file or folder into the sandbox'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from files" -f -a "download" -d 'Copy a file or folder out of the sandbox (never over an existing path without --force, never through a local symlink, never into `.git/`)'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from sandbox" -f -a "ls" -d 'List live sandboxes with their remaining time'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from sandbox" -f -a "logs" -d 'Show a sandbox\'s logs'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from sandbox" -f -a "extend" -d 'Give a sandbox more time'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from sandbox" -f -a "preview" -d '(Re)open the preview of a sandbox\'s web app; it lives as long as the sandbox'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from sandbox" -f -a "exec" -d 'Run a command in a live sandbox, streaming its output; exits with the command\'s own code (124 at --timeout, 128+n when ended by signal n)'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from sandbox" -f -a "kill" -d 'Stop and remove sandboxes'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from models" -f -a "list" -d 'List models (the default)'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from models" -f -a "show" -d 'Show one model'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from models" -f -a "providers" -d 'List providers with their protocol, base URL and key status'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from models" -f -a "check" -d 'Make a minimal real request and report ok or the error, with latency'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from templates" -f -a "list" -d 'List templates (the default)'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from templates" -f -a "show" -d 'Show one template'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from templates" -f -a "build" -d 'Build a template\'s sandbox image or local environment'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from logs" -f -a "list" -d 'The latest records (the default)'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from logs" -f -a "show" -d 'One record in full: conversation, answer, usage, run, changed files'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from logs" -f -a "search" -d 'Full-text search over prompts and answers (all words must match)'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from logs" -f -a "cost" -d 'Token and cost totals'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from logs" -f -a "path" -d 'Print the database\'s path'
complete -c codingit -n "__fish_codingit_using_subcommand help; and __fish_seen_subcommand_from logs" -f -a "prune" -d 'Delete records older than a duration'
