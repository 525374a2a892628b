const DIR: &str = "revisions";

fn main() {
    let _ = outflow::embed_revisions!(DIR);
}
