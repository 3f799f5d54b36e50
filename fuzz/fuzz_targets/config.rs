#![no_main]
//! See `oktaform::fuzzing::config`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| oktaform::fuzzing::config(data));
