//! Configuration files, the way ruff finds them: for each linted file, the closest `ctxlint.toml`,
//! `.ctxlint.toml` or `pyproject.toml` with a `[tool.ctxlint]` table, walking up from the file's directory (no
//! merging). `--config PATH` uses one file for everything; `--isolated` uses none. Every value keeps its place in the
//! TOML, so an unknown key, a wrong type, an unknown rule id or a bad glob is reported at its exact span.
mod discovery;
mod error;
mod load;
mod resolve;
mod schema;
mod settings;

pub use discovery::{ConfigResolver, Discovery, FILE_NAMES};
pub use error::ConfigError;
pub use resolve::{check_cli_selectors, settings_from_text, CliOverrides};
pub use schema::{JsSection, PySection, RawConfig, RawSize};
pub use settings::{is_default_excluded, Settings, DEFAULT_EXCLUDES};
