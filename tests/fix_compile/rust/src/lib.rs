//! The Rust `.fixed` fixtures written to compile, as modules: a fix that adds a clashing import (E0252) or misses one
//! in an inline module (E0599) fails `cargo check` here.
#![allow(dead_code, unused_imports)]

/// Traits that share a name with the ones the fixes import.
pub mod other_traits {
    pub trait Instrument {}
}

#[path = "../../../fixtures/rs/spawn-without-instrument/bad_modules.fixed.rs"]
pub mod modules;

#[path = "../../../fixtures/rs/spawn-without-instrument/bad_trait_names.fixed.rs"]
pub mod trait_names;

#[path = "../../../fixtures/rs/spawn-without-instrument/bad_helpers.fixed.rs"]
pub mod helpers;

#[path = "../../../fixtures/rs/spawn-without-instrument/bad_threads.fixed.rs"]
pub mod threads;

#[path = "../../../fixtures/rs/guard-dropped-at-once/bad.fixed.rs"]
pub mod guard_dropped;

#[path = "../../../fixtures/rs/guard-dropped-at-once/bad_async.fixed.rs"]
pub mod guard_dropped_async;

#[path = "../../../fixtures/rs/guard-dropped-at-once/bad_names.fixed.rs"]
pub mod guard_dropped_names;
