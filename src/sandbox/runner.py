"""codingit's interpreter runner: runs a Python file like a notebook cell.

Usage: python3 runner.py CODE_FILE RESULT_JSON ARTIFACT_DIR

stdout and stderr of the code stream live. When the code ends, RESULT_JSON gets:
  {"ok": bool, "value": repr of the last expression or null,
   "error": {"name", "value", "traceback"} or null,
   "artifacts": [file names of PNG charts written to ARTIFACT_DIR]}
Exit status: 0 when the cell ran, 1 when it raised, or the code of an explicit
SystemExit.
"""

# Only modules that are cheap to import (`ast`, `json` and `traceback` each cost
# several milliseconds at start): the AST types come from `_ast`, the result is
# encoded by `_json_dump`, and `traceback` is imported only when the cell fails.
import _ast
import os
import sys


def _save_figures(artifact_dir):
    names = []
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is None:
        return names
    try:
        for number in plt.get_fignums():
            figure = plt.figure(number)
            name = "figure-%d.png" % number
            figure.savefig(os.path.join(artifact_dir, name), format="png")
            names.append(name)
        plt.close("all")
    except Exception as error:  # a broken figure must not hide the cell's own result
        sys.stderr.write("codingit: could not save a figure: %r\n" % (error,))
    return names


def _json_dump(value):
    """JSON for the result's plain values (str, int, bool, None, list, dict)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        out = ['"']
        for char in value:
            code = ord(char)
            if char == '"' or char == "\\":
                out.append("\\" + char)
            elif code < 0x20 or 0xD800 <= code <= 0xDFFF:
                out.append("\\u%04x" % code)
            else:
                out.append(char)
        out.append('"')
        return "".join(out)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_json_dump(v) for v in value) + "]"
    if isinstance(value, dict):
        items = ("%s: %s" % (_json_dump(str(k)), _json_dump(v)) for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    return _json_dump(repr(value))


def _run(code_file, artifact_dir):
    os.environ.setdefault("MPLBACKEND", "Agg")
    with open(code_file, "r", encoding="utf-8") as handle:
        source = handle.read()
    namespace = {"__name__": "__main__", "__file__": code_file}
    tree = compile(source, code_file, "exec", _ast.PyCF_ONLY_AST)
    last_expression = None
    if tree.body and isinstance(tree.body[-1], _ast.Expr):
        last_expression = _ast.Expression(tree.body.pop().value)
    exec(compile(tree, code_file, "exec"), namespace)
    if last_expression is not None:
        value = eval(compile(last_expression, code_file, "eval"), namespace)
        if value is not None:
            return repr(value)
    return None


def main():
    code_file, result_file, artifact_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    sys.path.insert(0, os.path.dirname(os.path.abspath(code_file)))
    result = {"ok": True, "value": None, "error": None, "artifacts": []}
    status = 0
    try:
        result["value"] = _run(code_file, artifact_dir)
    except SystemExit as stop:
        code = stop.code
        status = code if isinstance(code, int) else (0 if code is None else 1)
        result["ok"] = status == 0
    except BaseException as error:  # the cell's error is the result, not a crash
        import traceback

        frames = traceback.extract_tb(error.__traceback__)
        # Drop the runner's own frames so the traceback starts in the user's code.
        user = [f for f in frames if os.path.abspath(f.filename) != os.path.abspath(__file__)]
        text = "Traceback (most recent call last):\n" + "".join(traceback.format_list(user))
        text += "".join(traceback.format_exception_only(type(error), error))
        result["ok"] = False
        result["error"] = {"name": type(error).__name__, "value": str(error), "traceback": text}
        sys.stderr.write(text)
        status = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    result["artifacts"] = _save_figures(artifact_dir)
    with open(result_file, "w", encoding="utf-8") as handle:
        handle.write(_json_dump(result))
    return status


if __name__ == "__main__":
    sys.exit(main())
