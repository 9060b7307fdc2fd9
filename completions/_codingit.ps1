
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'codingit' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'codingit'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'codingit' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Turn a sentence into a project folder (a fragment), optionally run it')
            [CompletionResult]::new('chat', 'chat', [CompletionResultType]::ParameterValue, 'Continue a project''s conversation, or change any repository: the model updates its files')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Edit files on instruction, merging the model''s lazy edits locally')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a project, a file or stdin in a sandbox')
            [CompletionResult]::new('files', 'files', [CompletionResultType]::ParameterValue, 'Files inside a live sandbox (confined to its home folder)')
            [CompletionResult]::new('sandbox', 'sandbox', [CompletionResultType]::ParameterValue, 'Live sandboxes: list, logs, exec, extend, kill')
            [CompletionResult]::new('models', 'models', [CompletionResultType]::ParameterValue, 'The model catalog: models, providers, availability, checks')
            [CompletionResult]::new('templates', 'templates', [CompletionResultType]::ParameterValue, 'Sandbox templates: list, show, build')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'The run log: every model call and sandbox run, with search and cost totals')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'What works on this machine, and how to fix what does not (exit 1 when the default path cannot work)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codingit;new' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Template id, or `auto` to let the model choose')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'Template id, or `auto` to let the model choose')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model as provider/model or a unique bare id (default: config, then the first provider with a key)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model as provider/model or a unique bare id (default: config, then the first provider with a key)')
            [CompletionResult]::new('--repair-rounds', '--repair-rounds', [CompletionResultType]::ParameterName, 'Rounds in which an invalid answer goes back to the model for repair')
            [CompletionResult]::new('--temperature', '--temperature', [CompletionResultType]::ParameterName, 'Sampling temperature')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Project folder (default: named from the fragment''s title)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Project folder (default: named from the fragment''s title)')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Attach an image (repeatable; needs a multimodal model)')
            [CompletionResult]::new('--system', '--system', [CompletionResultType]::ParameterName, 'Add the instructions in FILE to the system prompt')
            [CompletionResult]::new('--test', '--test', [CompletionResultType]::ParameterName, 'A command run in the sandbox after the files are in place; exit 0 passes (repeatable; implies checking), e.g. --test "pytest -q"')
            [CompletionResult]::new('--test-file', '--test-file', [CompletionResultType]::ParameterName, 'A test file of yours copied into the sandbox, never editable by the model (repeatable; kept at its relative path, else by its name)')
            [CompletionResult]::new('--check-path', '--check-path', [CompletionResultType]::ParameterName, 'The path a web app must answer with a 2xx')
            [CompletionResult]::new('--fix-rounds', '--fix-rounds', [CompletionResultType]::ParameterName, 'Rounds in which failed checks go back to the model for a fix (default 3; 0 = check only)')
            [CompletionResult]::new('--max-cost', '--max-cost', [CompletionResultType]::ParameterName, 'Stop before a model call that could take the run past this cost in USD')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'Stop before a model call that could take the run past this many tokens')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop once this much time has passed, sandbox time included (e.g. 5m)')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Sandbox backend')
            [CompletionResult]::new('--memory', '--memory', [CompletionResultType]::ParameterName, 'Memory limit, e.g. 512m or 2g')
            [CompletionResult]::new('--cpus', '--cpus', [CompletionResultType]::ParameterName, 'CPU limit in cores')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write into a folder that is not empty')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the fragment and write nothing')
            [CompletionResult]::new('--run', '--run', [CompletionResultType]::ParameterName, 'Run the project once written')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Run the program in its sandbox after writing and judge it: the cell ends without an error, or the web app answers with a 2xx (also `check = true`)')
            [CompletionResult]::new('--events', '--events', [CompletionResultType]::ParameterName, 'Print one JSON event per line as things happen')
            [CompletionResult]::new('--network', '--network', [CompletionResultType]::ParameterName, 'Allow network access from the sandbox (off by default)')
            [CompletionResult]::new('--unsafe-no-confinement', '--unsafe-no-confinement', [CompletionResultType]::ParameterName, 'DANGEROUS: run even when the kernel cannot enforce every confinement rule (local backend); prints a warning')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;chat' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'The folder: a project made by `new`, or any repository')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The folder: a project made by `new`, or any repository')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model as provider/model or a unique bare id (default: config, then the first provider with a key)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model as provider/model or a unique bare id (default: config, then the first provider with a key)')
            [CompletionResult]::new('--repair-rounds', '--repair-rounds', [CompletionResultType]::ParameterName, 'Rounds in which an invalid answer goes back to the model for repair')
            [CompletionResult]::new('--temperature', '--temperature', [CompletionResultType]::ParameterName, 'Sampling temperature')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Attach an image (repeatable; needs a multimodal model)')
            [CompletionResult]::new('--test', '--test', [CompletionResultType]::ParameterName, 'A command run in the sandbox after the files are in place; exit 0 passes (repeatable; implies checking), e.g. --test "pytest -q"')
            [CompletionResult]::new('--test-file', '--test-file', [CompletionResultType]::ParameterName, 'A test file of yours copied into the sandbox, never editable by the model (repeatable; kept at its relative path, else by its name)')
            [CompletionResult]::new('--check-path', '--check-path', [CompletionResultType]::ParameterName, 'The path a web app must answer with a 2xx')
            [CompletionResult]::new('--fix-rounds', '--fix-rounds', [CompletionResultType]::ParameterName, 'Rounds in which failed checks go back to the model for a fix (default 3; 0 = check only)')
            [CompletionResult]::new('--max-cost', '--max-cost', [CompletionResultType]::ParameterName, 'Stop before a model call that could take the run past this cost in USD')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'Stop before a model call that could take the run past this many tokens')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop once this much time has passed, sandbox time included (e.g. 5m)')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Sandbox backend')
            [CompletionResult]::new('--memory', '--memory', [CompletionResultType]::ParameterName, 'Memory limit, e.g. 512m or 2g')
            [CompletionResult]::new('--cpus', '--cpus', [CompletionResultType]::ParameterName, 'CPU limit in cores')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'In a repository: a file or glob the model sees in full (repeatable; `-` reads a list from stdin, one per line). Default: chosen by relevance within the budget')
            [CompletionResult]::new('--context-tokens', '--context-tokens', [CompletionResultType]::ParameterName, 'In a repository: tokens of context (map and files) sent (default: from the model''s window)')
            [CompletionResult]::new('--patch-out', '--patch-out', [CompletionResultType]::ParameterName, 'Also write the turn''s patch (git format) to this file')
            [CompletionResult]::new('--branch', '--branch', [CompletionResultType]::ParameterName, 'Create this branch and switch to it before writing (with --commit)')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'In a repository: the template its code runs on for --check/--test (default: detected from package.json and imports, else the Python interpreter)')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'In a repository: the template its code runs on for --check/--test (default: detected from package.json and imports, else the Python interpreter)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--lazy', '--lazy', [CompletionResultType]::ParameterName, 'Answer with lazy edits per file instead of a whole new fragment')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the diff and write nothing')
            [CompletionResult]::new('--undo', '--undo', [CompletionResultType]::ParameterName, 'Restore the project as it was before the last turn')
            [CompletionResult]::new('--events', '--events', [CompletionResultType]::ParameterName, 'Print one JSON event per line as things happen')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Run the program in its sandbox after writing and judge it: the cell ends without an error, or the web app answers with a 2xx (also `check = true`)')
            [CompletionResult]::new('--network', '--network', [CompletionResultType]::ParameterName, 'Allow network access from the sandbox (off by default)')
            [CompletionResult]::new('--unsafe-no-confinement', '--unsafe-no-confinement', [CompletionResultType]::ParameterName, 'DANGEROUS: run even when the kernel cannot enforce every confinement rule (local backend); prints a warning')
            [CompletionResult]::new('--commit', '--commit', [CompletionResultType]::ParameterName, 'Commit exactly the changed files, with the turn''s commentary as the message')
            [CompletionResult]::new('--allow-dirty', '--allow-dirty', [CompletionResultType]::ParameterName, 'Allow --commit on a work tree with uncommitted changes')
            [CompletionResult]::new('--history-in-repo', '--history-in-repo', [CompletionResultType]::ParameterName, 'Keep a repository''s conversation in its `.codingit/` instead of the state folder')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;edit' {
            [CompletionResult]::new('--snippet', '--snippet', [CompletionResultType]::ParameterName, 'Merge this edit (a file, or - for stdin) with no model')
            [CompletionResult]::new('--patch', '--patch', [CompletionResultType]::ParameterName, 'Apply a `*** Begin Patch` over several files, all or none')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Format of the edit')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the merged file here (- for stdout) instead of in place')
            [CompletionResult]::new('--applier', '--applier', [CompletionResultType]::ParameterName, 'Who merges the edit')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model as provider/model or a unique bare id (default: config, then the first provider with a key)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model as provider/model or a unique bare id (default: config, then the first provider with a key)')
            [CompletionResult]::new('--repair-rounds', '--repair-rounds', [CompletionResultType]::ParameterName, 'Rounds in which an invalid answer goes back to the model for repair')
            [CompletionResult]::new('--temperature', '--temperature', [CompletionResultType]::ParameterName, 'Sampling temperature')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the unified diff and write nothing')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Print the diff of what was written')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;run' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Template id (for a file or stdin; default from the extension)')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'Template id (for a file or stdin; default from the extension)')
            [CompletionResult]::new('--artifacts', '--artifacts', [CompletionResultType]::ParameterName, 'Where charts and other results are saved')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Lifetime of a detached sandbox, or the time limit of a run (e.g. 90s, 10m)')
            [CompletionResult]::new('--test', '--test', [CompletionResultType]::ParameterName, 'A command run in the sandbox after the files are in place; exit 0 passes (repeatable; implies checking), e.g. --test "pytest -q"')
            [CompletionResult]::new('--test-file', '--test-file', [CompletionResultType]::ParameterName, 'A test file of yours copied into the sandbox, never editable by the model (repeatable; kept at its relative path, else by its name)')
            [CompletionResult]::new('--check-path', '--check-path', [CompletionResultType]::ParameterName, 'The path a web app must answer with a 2xx')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Sandbox backend')
            [CompletionResult]::new('--memory', '--memory', [CompletionResultType]::ParameterName, 'Memory limit, e.g. 512m or 2g')
            [CompletionResult]::new('--cpus', '--cpus', [CompletionResultType]::ParameterName, 'CPU limit in cores')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--detach', '--detach', [CompletionResultType]::ParameterName, 'Leave a web app running and print its id')
            [CompletionResult]::new('--events', '--events', [CompletionResultType]::ParameterName, 'Print one JSON event per line as things happen')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Run the program in its sandbox after writing and judge it: the cell ends without an error, or the web app answers with a 2xx (also `check = true`)')
            [CompletionResult]::new('--network', '--network', [CompletionResultType]::ParameterName, 'Allow network access from the sandbox (off by default)')
            [CompletionResult]::new('--unsafe-no-confinement', '--unsafe-no-confinement', [CompletionResultType]::ParameterName, 'DANGEROUS: run even when the kernel cannot enforce every confinement rule (local backend); prints a warning')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;files' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Only look in this backend (default: whichever holds the id)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List files (recursively with -r)')
            [CompletionResult]::new('cat', 'cat', [CompletionResultType]::ParameterValue, 'Print a file')
            [CompletionResult]::new('write', 'write', [CompletionResultType]::ParameterValue, 'Write a file from --from FILE or stdin')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a file or folder')
            [CompletionResult]::new('upload', 'upload', [CompletionResultType]::ParameterValue, 'Copy a local file or folder into the sandbox')
            [CompletionResult]::new('download', 'download', [CompletionResultType]::ParameterValue, 'Copy a file or folder out of the sandbox (never over an existing path without --force, never through a local symlink, never into `.git/`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codingit;files;ls' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Only look in this backend (default: whichever holds the id)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'r')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'recursive')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;files;cat' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Only look in this backend (default: whichever holds the id)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;files;write' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'from')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Only look in this backend (default: whichever holds the id)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;files;rm' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Only look in this backend (default: whichever holds the id)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;files;upload' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Only look in this backend (default: whichever holds the id)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;files;download' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Only look in this backend (default: whichever holds the id)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing local file (or add into an existing folder)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;files;help' {
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List files (recursively with -r)')
            [CompletionResult]::new('cat', 'cat', [CompletionResultType]::ParameterValue, 'Print a file')
            [CompletionResult]::new('write', 'write', [CompletionResultType]::ParameterValue, 'Write a file from --from FILE or stdin')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a file or folder')
            [CompletionResult]::new('upload', 'upload', [CompletionResultType]::ParameterValue, 'Copy a local file or folder into the sandbox')
            [CompletionResult]::new('download', 'download', [CompletionResultType]::ParameterValue, 'Copy a file or folder out of the sandbox (never over an existing path without --force, never through a local symlink, never into `.git/`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codingit;files;help;ls' {
            break
        }
        'codingit;files;help;cat' {
            break
        }
        'codingit;files;help;write' {
            break
        }
        'codingit;files;help;rm' {
            break
        }
        'codingit;files;help;upload' {
            break
        }
        'codingit;files;help;download' {
            break
        }
        'codingit;files;help;help' {
            break
        }
        'codingit;sandbox' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Only this backend (default: every usable one)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List live sandboxes with their remaining time')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show a sandbox''s logs')
            [CompletionResult]::new('extend', 'extend', [CompletionResultType]::ParameterValue, 'Give a sandbox more time')
            [CompletionResult]::new('preview', 'preview', [CompletionResultType]::ParameterValue, '(Re)open the preview of a sandbox''s web app; it lives as long as the sandbox')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command in a live sandbox, streaming its output; exits with the command''s own code (124 at --timeout, 128+n when ended by signal n)')
            [CompletionResult]::new('kill', 'kill', [CompletionResultType]::ParameterValue, 'Stop and remove sandboxes')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codingit;sandbox;ls' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Only this backend (default: every usable one)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;sandbox;logs' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Only this backend (default: every usable one)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep following new output')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep following new output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;sandbox;extend' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Only this backend (default: every usable one)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;sandbox;preview' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Only this backend (default: every usable one)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;sandbox;exec' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit (e.g. 30s, 5m); past it the command is killed (exit 124)')
            [CompletionResult]::new('--cwd', '--cwd', [CompletionResultType]::ParameterName, 'Working folder, relative to the sandbox home')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Only this backend (default: every usable one)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;sandbox;kill' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Only this backend (default: every usable one)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'all')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;sandbox;help' {
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List live sandboxes with their remaining time')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show a sandbox''s logs')
            [CompletionResult]::new('extend', 'extend', [CompletionResultType]::ParameterValue, 'Give a sandbox more time')
            [CompletionResult]::new('preview', 'preview', [CompletionResultType]::ParameterValue, '(Re)open the preview of a sandbox''s web app; it lives as long as the sandbox')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command in a live sandbox, streaming its output; exits with the command''s own code (124 at --timeout, 128+n when ended by signal n)')
            [CompletionResult]::new('kill', 'kill', [CompletionResultType]::ParameterValue, 'Stop and remove sandboxes')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codingit;sandbox;help;ls' {
            break
        }
        'codingit;sandbox;help;logs' {
            break
        }
        'codingit;sandbox;help;extend' {
            break
        }
        'codingit;sandbox;help;preview' {
            break
        }
        'codingit;sandbox;help;exec' {
            break
        }
        'codingit;sandbox;help;kill' {
            break
        }
        'codingit;sandbox;help;help' {
            break
        }
        'codingit;models' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Only models of this provider')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--available', '--available', [CompletionResultType]::ParameterName, 'Only models that can be used now (key set or local server up)')
            [CompletionResult]::new('--multimodal', '--multimodal', [CompletionResultType]::ParameterName, 'Only models that accept images')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List models (the default)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one model')
            [CompletionResult]::new('providers', 'providers', [CompletionResultType]::ParameterValue, 'List providers with their protocol, base URL and key status')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Make a minimal real request and report ok or the error, with latency')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codingit;models;list' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Only models of this provider')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--available', '--available', [CompletionResultType]::ParameterName, 'Only models that can be used now (key set or local server up)')
            [CompletionResult]::new('--multimodal', '--multimodal', [CompletionResultType]::ParameterName, 'Only models that accept images')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;models;show' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;models;providers' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;models;check' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;models;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List models (the default)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one model')
            [CompletionResult]::new('providers', 'providers', [CompletionResultType]::ParameterValue, 'List providers with their protocol, base URL and key status')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Make a minimal real request and report ok or the error, with latency')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codingit;models;help;list' {
            break
        }
        'codingit;models;help;show' {
            break
        }
        'codingit;models;help;providers' {
            break
        }
        'codingit;models;help;check' {
            break
        }
        'codingit;models;help;help' {
            break
        }
        'codingit;templates' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List templates (the default)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one template')
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Build a template''s sandbox image or local environment')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codingit;templates;list' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;templates;show' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;templates;build' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'backend')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'all')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;templates;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List templates (the default)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one template')
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Build a template''s sandbox image or local environment')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codingit;templates;help;list' {
            break
        }
        'codingit;templates;help;show' {
            break
        }
        'codingit;templates;help;build' {
            break
        }
        'codingit;templates;help;help' {
            break
        }
        'codingit;logs' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many of the latest records (0: all)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'How many of the latest records (0: all)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Only this model (`provider/model` or the bare id)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Only this project folder')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only records newer than this (`1d`, `2h`, `30m`) or since this date (`2026-11-30`)')
            [CompletionResult]::new('--command', '--command', [CompletionResultType]::ParameterName, 'Only records of this command (`new`, `chat`, `edit`, `run`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--failed', '--failed', [CompletionResultType]::ParameterName, 'Only failures')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The latest records (the default)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One record in full: conversation, answer, usage, run, changed files')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Full-text search over prompts and answers (all words must match)')
            [CompletionResult]::new('cost', 'cost', [CompletionResultType]::ParameterValue, 'Token and cost totals')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the database''s path')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Delete records older than a duration')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codingit;logs;list' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many of the latest records (0: all)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'How many of the latest records (0: all)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Only this model (`provider/model` or the bare id)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Only this project folder')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only records newer than this (`1d`, `2h`, `30m`) or since this date (`2026-11-30`)')
            [CompletionResult]::new('--command', '--command', [CompletionResultType]::ParameterName, 'Only records of this command (`new`, `chat`, `edit`, `run`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--failed', '--failed', [CompletionResultType]::ParameterName, 'Only failures')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;logs;show' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many of the latest records (0: all)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'How many of the latest records (0: all)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Only this model (`provider/model` or the bare id)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Only this project folder')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only records newer than this (`1d`, `2h`, `30m`) or since this date (`2026-11-30`)')
            [CompletionResult]::new('--command', '--command', [CompletionResultType]::ParameterName, 'Only records of this command (`new`, `chat`, `edit`, `run`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--failed', '--failed', [CompletionResultType]::ParameterName, 'Only failures')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;logs;search' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many of the latest records (0: all)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'How many of the latest records (0: all)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Only this model (`provider/model` or the bare id)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Only this project folder')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only records newer than this (`1d`, `2h`, `30m`) or since this date (`2026-11-30`)')
            [CompletionResult]::new('--command', '--command', [CompletionResultType]::ParameterName, 'Only records of this command (`new`, `chat`, `edit`, `run`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--failed', '--failed', [CompletionResultType]::ParameterName, 'Only failures')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;logs;cost' {
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'by')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many of the latest records (0: all)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'How many of the latest records (0: all)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Only this model (`provider/model` or the bare id)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Only this project folder')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only records newer than this (`1d`, `2h`, `30m`) or since this date (`2026-11-30`)')
            [CompletionResult]::new('--command', '--command', [CompletionResultType]::ParameterName, 'Only records of this command (`new`, `chat`, `edit`, `run`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--failed', '--failed', [CompletionResultType]::ParameterName, 'Only failures')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;logs;path' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many of the latest records (0: all)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'How many of the latest records (0: all)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Only this model (`provider/model` or the bare id)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Only this project folder')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only records newer than this (`1d`, `2h`, `30m`) or since this date (`2026-11-30`)')
            [CompletionResult]::new('--command', '--command', [CompletionResultType]::ParameterName, 'Only records of this command (`new`, `chat`, `edit`, `run`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--failed', '--failed', [CompletionResultType]::ParameterName, 'Only failures')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;logs;prune' {
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'older-than')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many of the latest records (0: all)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'How many of the latest records (0: all)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Only this model (`provider/model` or the bare id)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Only this project folder')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only records newer than this (`1d`, `2h`, `30m`) or since this date (`2026-11-30`)')
            [CompletionResult]::new('--command', '--command', [CompletionResultType]::ParameterName, 'Only records of this command (`new`, `chat`, `edit`, `run`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--failed', '--failed', [CompletionResultType]::ParameterName, 'Only failures')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;logs;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The latest records (the default)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One record in full: conversation, answer, usage, run, changed files')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Full-text search over prompts and answers (all words must match)')
            [CompletionResult]::new('cost', 'cost', [CompletionResultType]::ParameterValue, 'Token and cost totals')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the database''s path')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Delete records older than a duration')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codingit;logs;help;list' {
            break
        }
        'codingit;logs;help;show' {
            break
        }
        'codingit;logs;help;search' {
            break
        }
        'codingit;logs;help;cost' {
            break
        }
        'codingit;logs;help;path' {
            break
        }
        'codingit;logs;help;prune' {
            break
        }
        'codingit;logs;help;help' {
            break
        }
        'codingit;doctor' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Use this config file instead of <config dir>/config.toml')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of human text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output on stderr (-q: no progress, -qq: errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output on stderr (-v: info, -vv: debug, -vvv: trace)')
            [CompletionResult]::new('--no-log', '--no-log', [CompletionResultType]::ParameterName, 'Do not record this command in the run log (docs/logs.md)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'codingit;help' {
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Turn a sentence into a project folder (a fragment), optionally run it')
            [CompletionResult]::new('chat', 'chat', [CompletionResultType]::ParameterValue, 'Continue a project''s conversation, or change any repository: the model updates its files')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Edit files on instruction, merging the model''s lazy edits locally')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a project, a file or stdin in a sandbox')
            [CompletionResult]::new('files', 'files', [CompletionResultType]::ParameterValue, 'Files inside a live sandbox (confined to its home folder)')
            [CompletionResult]::new('sandbox', 'sandbox', [CompletionResultType]::ParameterValue, 'Live sandboxes: list, logs, exec, extend, kill')
            [CompletionResult]::new('models', 'models', [CompletionResultType]::ParameterValue, 'The model catalog: models, providers, availability, checks')
            [CompletionResult]::new('templates', 'templates', [CompletionResultType]::ParameterValue, 'Sandbox templates: list, show, build')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'The run log: every model call and sandbox run, with search and cost totals')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'What works on this machine, and how to fix what does not (exit 1 when the default path cannot work)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codingit;help;new' {
            break
        }
        'codingit;help;chat' {
            break
        }
        'codingit;help;edit' {
            break
        }
        'codingit;help;run' {
            break
        }
        'codingit;help;files' {
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List files (recursively with -r)')
            [CompletionResult]::new('cat', 'cat', [CompletionResultType]::ParameterValue, 'Print a file')
            [CompletionResult]::new('write', 'write', [CompletionResultType]::ParameterValue, 'Write a file from --from FILE or stdin')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a file or folder')
            [CompletionResult]::new('upload', 'upload', [CompletionResultType]::ParameterValue, 'Copy a local file or folder into the sandbox')
            [CompletionResult]::new('download', 'download', [CompletionResultType]::ParameterValue, 'Copy a file or folder out of the sandbox (never over an existing path without --force, never through a local symlink, never into `.git/`)')
            break
        }
        'codingit;help;files;ls' {
            break
        }
        'codingit;help;files;cat' {
            break
        }
        'codingit;help;files;write' {
            break
        }
        'codingit;help;files;rm' {
            break
        }
        'codingit;help;files;upload' {
            break
        }
        'codingit;help;files;download' {
            break
        }
        'codingit;help;sandbox' {
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List live sandboxes with their remaining time')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show a sandbox''s logs')
            [CompletionResult]::new('extend', 'extend', [CompletionResultType]::ParameterValue, 'Give a sandbox more time')
            [CompletionResult]::new('preview', 'preview', [CompletionResultType]::ParameterValue, '(Re)open the preview of a sandbox''s web app; it lives as long as the sandbox')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command in a live sandbox, streaming its output; exits with the command''s own code (124 at --timeout, 128+n when ended by signal n)')
            [CompletionResult]::new('kill', 'kill', [CompletionResultType]::ParameterValue, 'Stop and remove sandboxes')
            break
        }
        'codingit;help;sandbox;ls' {
            break
        }
        'codingit;help;sandbox;logs' {
            break
        }
        'codingit;help;sandbox;extend' {
            break
        }
        'codingit;help;sandbox;preview' {
            break
        }
        'codingit;help;sandbox;exec' {
            break
        }
        'codingit;help;sandbox;kill' {
            break
        }
        'codingit;help;models' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List models (the default)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one model')
            [CompletionResult]::new('providers', 'providers', [CompletionResultType]::ParameterValue, 'List providers with their protocol, base URL and key status')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Make a minimal real request and report ok or the error, with latency')
            break
        }
        'codingit;help;models;list' {
            break
        }
        'codingit;help;models;show' {
            break
        }
        'codingit;help;models;providers' {
            break
        }
        'codingit;help;models;check' {
            break
        }
        'codingit;help;templates' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List templates (the default)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one template')
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Build a template''s sandbox image or local environment')
            break
        }
        'codingit;help;templates;list' {
            break
        }
        'codingit;help;templates;show' {
            break
        }
        'codingit;help;templates;build' {
            break
        }
        'codingit;help;logs' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The latest records (the default)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One record in full: conversation, answer, usage, run, changed files')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Full-text search over prompts and answers (all words must match)')
            [CompletionResult]::new('cost', 'cost', [CompletionResultType]::ParameterValue, 'Token and cost totals')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the database''s path')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Delete records older than a duration')
            break
        }
        'codingit;help;logs;list' {
            break
        }
        'codingit;help;logs;show' {
            break
        }
        'codingit;help;logs;search' {
            break
        }
        'codingit;help;logs;cost' {
            break
        }
        'codingit;help;logs;path' {
            break
        }
        'codingit;help;logs;prune' {
            break
        }
        'codingit;help;doctor' {
            break
        }
        'codingit;help;completions' {
            break
        }
        'codingit;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
