//! The command line turned into [`RunOptions`]: the settings flags of every command, and the check command's threads,
//! prefilter, excludes and fixes.
use super::notice;
use super::{CheckArgs, SettingsArgs};
use crate::config::Discovery;
use crate::engine::EngineOptions;
use crate::report::FixOptions;
use crate::run::RunOptions;

impl SettingsArgs {
    /// The run options the settings flags give (for `ctxlint config` as for a check).
    pub(super) fn run_options(&self) -> RunOptions {
        RunOptions {
            js_model: self.js_context_manager,
            py_instrumented: self.python_instrumented.clone().unwrap_or_default(),
            max_file_size: self.max_file_size,
            engine: EngineOptions { require_reason: self.require_reason, ..EngineOptions::default() },
            discovery: match (&self.config, self.isolated) {
                (Some(path), _) => Discovery::Fixed(path.clone()),
                (None, true) => Discovery::Isolated,
                (None, false) => Discovery::Nearest,
            },
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            extend_select: self.extend_select.clone(),
            exclude: self.exclude.clone(),
            ..RunOptions::default()
        }
    }
}

/// The run options of a check: the settings flags, then the threads (with a notice when capped), the prefilter,
/// `--force-exclude` and the fixes to apply (`--fix`, `--diff`).
pub(super) fn check_options(args: &CheckArgs) -> RunOptions {
    let mut options = args.settings.run_options();
    options.threads = capped_threads(args.threads);
    options.engine.prefilter = !args.no_prefilter;
    options.force_exclude = args.force_exclude;
    options.no_project = args.no_project;
    options.fix = FixOptions { apply: args.fix || args.diff, policy: crate::fix::apply::Policy { unsafe_fixes: args.unsafe_fixes } };
    options
}

/// The most worker threads per core: more only adds start-up time (a thread each, with its parsers) and, past the
/// system's limit, cannot be spawned at all.
const THREADS_PER_CORE: usize = 4;

/// `--threads N`, capped at [`THREADS_PER_CORE`] per core (with a notice when the cap applies); 0 stays "one per core".
fn capped_threads(asked: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let max = cores.saturating_mul(THREADS_PER_CORE).max(THREADS_PER_CORE);
    if asked > max {
        notice::notice(format_args!("--threads {asked} is more than this machine can use; using {max} ({THREADS_PER_CORE} per core)"));
        max
    } else {
        asked
    }
}
