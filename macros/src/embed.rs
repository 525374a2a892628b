//! `embed_revisions!`: reading a revisions folder and writing the `RevisionSet` expression.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Error, LitStr, Result};

use crate::table_attrs::is_label;

/// One revision file found on disk.
#[derive(Debug, PartialEq, Eq)]
struct RevisionFile {
    label: String,
    file_name: String,
    path: String,
}

/// Expands `embed_revisions!(input)`; `base` is the directory of the invoking source file
/// (possibly relative to the current directory).
pub(crate) fn expand(input: TokenStream, base: &Path) -> Result<TokenStream> {
    let lit: LitStr = syn::parse2(input).map_err(|e| {
        let msg = "`embed_revisions!` takes one string literal, the revisions folder relative to \
                   this file: write `embed_revisions!(\"revisions\")`";
        Error::new(e.span(), msg)
    })?;
    let fail = |msg: String| Error::new_spanned(&lit, msg);
    let wanted = base.join(lit.value());
    let dir = absolute(&wanted).map_err(|e| {
        fail(format!(
            "cannot resolve the revisions folder `{}`: {e}",
            wanted.display()
        ))
    })?;
    let dir_str = dir.to_str().ok_or_else(|| {
        fail(format!(
            "the revisions folder path `{}` is not valid UTF-8",
            dir.display()
        ))
    })?;
    let files = match fs::metadata(&dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            return Err(fail(format!(
                "cannot read the revisions folder `{dir_str}`: {e}"
            )));
        }
        Ok(meta) if !meta.is_dir() => {
            return Err(fail(format!(
                "`{dir_str}` is not a directory: `embed_revisions!` needs the folder that holds the `<label>/` revision folders"
            )));
        }
        Ok(_) => scan(&dir, dir_str).map_err(fail)?,
    };
    Ok(generate(dir_str, &files))
}

/// Makes `path` absolute with symbolic links and `..` resolved: the longest existing ancestor is
/// canonicalized and the rest (which does not exist yet) appended lexically, so a folder that is
/// not created yet still gets the path it will have.
fn absolute(path: &Path) -> io::Result<PathBuf> {
    let path = std::path::absolute(path)?;
    let components: Vec<Component> = path.components().collect();
    for split in (1..=components.len()).rev() {
        let head: PathBuf = components[..split].iter().collect();
        let Ok(mut out) = head.canonicalize() else {
            continue;
        };
        for component in &components[split..] {
            match component {
                Component::ParentDir => {
                    out.pop();
                }
                Component::Normal(name) => out.push(name),
                _ => {}
            }
        }
        return Ok(out);
    }
    Ok(path)
}

/// Lists `<dir>/<label>/*.rs`, sorted by label then file name. Only the directory listings are
/// read (no file content), so thousands of revisions stay cheap.
fn scan(dir: &Path, dir_str: &str) -> std::result::Result<Vec<RevisionFile>, String> {
    let mut files = Vec::new();
    for entry in read_dir(dir, dir_str)? {
        let path = entry.path();
        let name = entry.file_name();
        if name.as_encoded_bytes().starts_with(b".") || !path.is_dir() {
            continue;
        }
        let label = utf8_name(&name, dir_str)?;
        if !is_label(label) {
            return Err(format!(
                "revisions folder `{dir_str}/{label}` is not a database label: name label folders with letters, digits, `_` and `-` only"
            ));
        }
        let label_str = format!("{dir_str}/{label}");
        for file in read_dir(&path, &label_str)? {
            let file_path = file.path();
            let file_name = file.file_name();
            let hidden = file_name.as_encoded_bytes().starts_with(b".");
            let is_rs = file_path.extension().is_some_and(|e| e == "rs");
            if hidden || !is_rs || !file_path.is_file() {
                continue;
            }
            let file_name = utf8_name(&file_name, &label_str)?;
            files.push(RevisionFile {
                label: label.to_string(),
                file_name: file_name.to_string(),
                path: format!("{label_str}/{file_name}"),
            });
        }
    }
    files.sort_by(|a, b| (&a.label, &a.file_name).cmp(&(&b.label, &b.file_name)));
    Ok(files)
}

fn read_dir(dir: &Path, shown: &str) -> std::result::Result<Vec<fs::DirEntry>, String> {
    let fail = |e: io::Error| format!("cannot read the revisions folder `{shown}`: {e}");
    fs::read_dir(dir)
        .map_err(fail)?
        .map(|entry| entry.map_err(fail))
        .collect()
}

fn utf8_name<'a>(name: &'a std::ffi::OsStr, parent: &str) -> std::result::Result<&'a str, String> {
    name.to_str().ok_or_else(|| {
        format!(
            "`{}` in `{parent}` is not a valid UTF-8 name: rename it",
            name.display()
        )
    })
}

/// The `RevisionSet` block: one `#[path]` module per file and a static array of entries.
fn generate(dir: &str, files: &[RevisionFile]) -> TokenStream {
    let mut modules = Vec::with_capacity(files.len());
    let mut entries = Vec::with_capacity(files.len());
    for (i, file) in files.iter().enumerate() {
        let module = format_ident!("__outflow_rev_{}", i, span = Span::call_site());
        let (path, label, file_name) = (&file.path, &file.label, &file.file_name);
        modules.push(quote! {
            #[path = #path]
            mod #module;
        });
        entries.push(quote! {
            ::outflow::revision::EmbeddedRevision {
                db_label: #label,
                file_name: #file_name,
                source: ::core::include_str!(#path),
                id: #module::REVISION,
                down_revision: #module::DOWN_REVISION,
                branch_labels: #module::BRANCH_LABELS,
                depends_on: #module::DEPENDS_ON,
                upgrade: #module::upgrade,
                downgrade: #module::downgrade,
            }
        });
    }
    let count = files.len();
    quote! {
        {
            #(#modules)*
            static __OUTFLOW_REVISIONS: [::outflow::revision::EmbeddedRevision; #count] = [#(#entries),*];
            ::outflow::revision::RevisionSet { dir: #dir, revisions: &__OUTFLOW_REVISIONS }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch folder in the system temporary directory, removed at the end of the test.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir =
                std::env::temp_dir().join(format!("outflow-macros-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }

        fn file(&self, relative: &str) {
            let path = self.0.join(relative);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "").unwrap();
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn scan_keeps_rs_files_of_label_folders_in_order() {
        let scratch = Scratch::new("scan");
        for f in [
            "README.md",
            "default/b_x.rs",
            "default/a_y.rs",
            "default/.a.rs",
            "default/n.txt",
        ] {
            scratch.file(f);
        }
        scratch.file("other-db/c.rs");
        scratch.file(".hidden/d.rs");
        let dir = absolute(&scratch.0).unwrap();
        let dir_str = dir.to_str().unwrap();
        let found: Vec<(String, String)> = scan(&dir, dir_str)
            .unwrap()
            .into_iter()
            .map(|f| (f.label, f.file_name))
            .collect();
        let expected = [
            ("default", "a_y.rs"),
            ("default", "b_x.rs"),
            ("other-db", "c.rs"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(l, f)| (l.to_string(), f.to_string()))
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn scan_refuses_odd_label_folders() {
        let scratch = Scratch::new("label");
        scratch.file("bad label/a.rs");
        let dir = absolute(&scratch.0).unwrap();
        let err = scan(&dir, dir.to_str().unwrap()).unwrap_err();
        assert!(err.contains("bad label` is not a database label"), "{err}");
    }

    #[test]
    fn missing_folders_get_their_future_absolute_path() {
        let scratch = Scratch::new("missing");
        let base = absolute(&scratch.0).unwrap();
        let got = absolute(&scratch.0.join("a/../b/./revisions")).unwrap();
        assert_eq!(got, base.join("b").join("revisions"));
    }
}
