#![no_main]
//! See `oktaform::fuzzing::filter`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| oktaform::fuzzing::filter(data));
