#![no_main]
//! See `oktaform::fuzzing::plan_file`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| oktaform::fuzzing::plan_file(data));
