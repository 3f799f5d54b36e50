#![no_main]
//! See `oktaform::fuzzing::answer`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| oktaform::fuzzing::answer(data));
