//! `py/process-without-inject`: a child process started in a span scope (subprocess, `os.exec*`/`spawn*`,
//! `asyncio.create_subprocess_*`, and, where the file picks the `spawn`/`forkserver` start method, multiprocessing
//! `Process` and `ProcessPoolExecutor`) by a function that never injects a carrier: the child starts a new trace.
use tree_sitter::Node;

use crate::analysis::python::{enclosing_function, positional_arg, PyFacts};
use crate::check_api::{Captures, CheckDef, CheckFn, Hit};
use crate::file_cx::FileCx;
use crate::syntax::Preorder;

pub static CHECK: CheckDef = CheckDef {
    rule: "py/process-without-inject",
    captures: &["name"],
    vars: &["call"],
    variants: &["spawned"],
    labels: &["scope", "method"],
    run: CheckFn::Match(run),
};

const SUBPROCESS: &[&str] = &["run", "Popen", "call", "check_call", "check_output", "getoutput", "getstatusoutput"];
const ASYNCIO: &[&str] = &["create_subprocess_exec", "create_subprocess_shell"];
const PROCESS_POOLS: &[&str] = &["concurrent.futures.ProcessPoolExecutor", "concurrent.futures.process.ProcessPoolExecutor"];

fn run<'t>(cx: &FileCx<'t>, call: Node<'t>, caps: &Captures<'t>) -> Option<Hit> {
    let name = caps.get("name")?;
    let py = cx.py();
    let func = call.child_by_field_name("function")?;
    let resolved = py.resolve(func).unwrap_or_default();
    // the imported name, not the alias: `from subprocess import check_output as run_cmd`
    let (module, name) = resolved.rsplit_once('.').unwrap_or(("", cx.text(name)));
    let mut spawned_method = None;
    let starts_process = match module {
        "subprocess" => SUBPROCESS.contains(&name),
        "os" => is_os_process(name),
        "asyncio" | "asyncio.subprocess" => ASYNCIO.contains(&name),
        _ => {
            // multiprocessing.Process / ctx.Process, and process pools: only a spawned child loses the context
            let is_mp = (name == "Process" && (module == "multiprocessing" || mp_context_receiver(py, func)))
                || ((name == "submit" || name == "map") && process_pool_receiver(py, func));
            // logfire.configure() sends a carrier along with a process pool's calls (the runtime model's witness)
            if is_mp && name != "Process" && cx.py_runtime.process_pools_carry_context {
                return None;
            }
            if is_mp {
                spawned_method = spawn_start_method(cx);
                spawned_method?;
            }
            is_mp
        }
    };
    if !starts_process {
        return None;
    }
    if cx.py_runtime.subprocess_env_injected {
        return None;
    }
    // v2: only a child that is evidently a traced program reads the context (`git`, `ffmpeg` or `ls` do not), and
    // only where nothing puts it into the child's environment for the code (sentry-sdk's StdlibIntegration does)
    if spawned_method.is_none() && !runs_traced_program(py, call, name) {
        return None;
    }
    let scope = py.span_scope(call)?;
    // a Sentry span: sentry-sdk's StdlibIntegration carries it into the child (SUBPROCESS_SENTRY_TRACE); an
    // OpenTelemetry span it does not carry (its witness: the child's span is a new trace)
    if injects_sentry_trace(cx) && cx.text(scope).starts_with("sentry_sdk.") {
        return None;
    }
    let owner = enclosing_function(call).unwrap_or_else(|| cx.root());
    if py.calls_any(owner, &["inject"]) || mentions_traceparent(owner, py) {
        return None;
    }
    let mut hit = Hit::at(func.byte_range()).var("call", format!("{}(…)", crate::template::one_line(cx.text(func)))).label("scope", scope);
    if let Some(method) = spawned_method {
        hit = hit.variant("spawned").label("method", method);
    }
    Some(hit)
}

/// Programs that run OpenTelemetry-instrumented code: interpreters, the auto-instrumentation launcher, scripts.
const TRACED_PROGRAMS: &[&str] = &["python", "python3", "node", "opentelemetry-instrument", "deno", "bun"];

/// Is the child `call` starts evidently a traced program: `sys.executable`, `python`/`python3`/`node`,
/// `opentelemetry-instrument`, or a `.py`/`.js`/`.mjs`/`.cjs` script, as the first word of its command.
fn runs_traced_program(py: &PyFacts<'_>, call: Node<'_>, name: &str) -> bool {
    // `os.spawn*(mode, file, ...)`: the program is the second argument
    let at = usize::from(name.starts_with("spawn"));
    let Some(first) = positional_arg(call, at).or_else(|| py.keyword_arg(call, "args")) else { return false };
    let program = match first.kind() {
        "list" | "tuple" => first.named_child(0),
        _ => Some(first),
    };
    let Some(program) = program else { return false };
    if program.kind() == "attribute" || program.kind() == "identifier" {
        return py.resolves_to(program, &["sys.executable"]) || py.text(program) == "sys.executable";
    }
    if !matches!(program.kind(), "string" | "concatenated_string") {
        return false;
    }
    let text = py.text(program).trim_start_matches(|c: char| c.is_ascii_alphabetic()).trim_matches(['\'', '"']);
    let word = text.split_whitespace().next().unwrap_or("");
    let base = word.rsplit('/').next().unwrap_or(word);
    let versioned_python = base.strip_prefix("python").is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'));
    TRACED_PROGRAMS.contains(&base) || versioned_python || [".py", ".js", ".mjs", ".cjs"].iter().any(|e| base.ends_with(e))
}

/// Does the file initialise sentry-sdk, whose default `StdlibIntegration` patches `subprocess.Popen` to put the
/// Sentry trace headers (not an OpenTelemetry `TRACEPARENT`) into the child's environment.
fn injects_sentry_trace(cx: &FileCx<'_>) -> bool {
    cx.py().activates_sentry_subprocess_headers()
}

fn is_os_process(name: &str) -> bool {
    matches!(name, "system" | "popen" | "posix_spawn" | "posix_spawnp")
        || name.strip_prefix("exec").is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| "lvpe".contains(c)))
        || name.strip_prefix("spawn").is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| "lvpe".contains(c)))
}

/// `ctx.Process(...)` where `ctx = multiprocessing.get_context(...)`.
fn mp_context_receiver(py: &PyFacts, func: Node<'_>) -> bool {
    func.child_by_field_name("object").is_some_and(|o| {
        py.constructed_from(o).is_some_and(|q| q == "multiprocessing.get_context")
            || (o.kind() == "call"
                && o.child_by_field_name("function").is_some_and(|f| py.resolves_to(f, &["multiprocessing.get_context"])))
    })
}

/// `pool.submit(...)` / `pool.map(...)` on a `ProcessPoolExecutor`.
fn process_pool_receiver(py: &PyFacts, func: Node<'_>) -> bool {
    func.child_by_field_name("object").is_some_and(|o| {
        py.constructed_from(o).is_some_and(|q| PROCESS_POOLS.contains(&q))
            || (o.kind() == "call" && o.child_by_field_name("function").is_some_and(|f| py.resolves_to(f, PROCESS_POOLS)))
    })
}

/// Where the file selects the `spawn` or `forkserver` start method: `set_start_method('spawn')`,
/// `get_context('forkserver')`, or a `mp_context=` argument.
fn spawn_start_method<'t>(cx: &FileCx<'t>) -> Option<Node<'t>> {
    let py = cx.py();
    Preorder::new(cx.root()).find(|n| {
        let Some(name) = py.call_name(*n) else { return false };
        match name {
            "set_start_method" | "get_context" => positional_arg(*n, 0)
                .or_else(|| py.keyword_arg(*n, "method"))
                .is_some_and(|a| matches!(cx.text(a).trim_matches(['\'', '"']), "spawn" | "forkserver")),
            _ => py.keyword_arg(*n, "mp_context").is_some_and(|v| !cx.text(v).contains("\"fork\"") && !cx.text(v).contains("'fork'")),
        }
    })
}

/// A carrier written by hand: the function sets `TRACEPARENT` (any case) for the child, as a dict key
/// (`{"TRACEPARENT": tp}`) or an item assignment (`env["TRACEPARENT"] = tp`).
fn mentions_traceparent(owner: Node<'_>, py: &PyFacts<'_>) -> bool {
    Preorder::new(owner).any(|n| {
        if n.kind() != "string" || !py.text(n).to_ascii_lowercase().contains("traceparent") {
            return false;
        }
        let Some(parent) = n.parent() else { return false };
        match parent.kind() {
            "pair" => parent.child_by_field_name("key").is_some_and(|k| k.id() == n.id()),
            "subscript" => parent
                .parent()
                .is_some_and(|a| a.kind() == "assignment" && a.child_by_field_name("left").is_some_and(|l| l.id() == parent.id())),
            _ => false,
        }
    })
}
