fn main() {
    let _ = outflow::embed_revisions!("embed_not_directory.rs");
}
