//! Build step of the `bedside` binary.

fn main() {
    build_support::link_llama_libraries();
}
