//! Large generated graphs, shared by the tests and the benchmarks (not part of the API).

use super::Revision;

/// A 12-hex-digit id spread over the id space (ids that share prefixes would make partial-id
/// lookups unrepresentative).
pub fn id(n: u64) -> String {
    let mut x = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    format!("{:012x}", (x ^ (x >> 31)) & 0xffff_ffff_ffff)
}

/// `n` revisions in one line; the head is `id(n - 1)`.
pub fn linear(n: u64) -> Vec<Revision> {
    (0..n)
        .map(|i| Revision {
            id: id(i),
            down_revisions: if i == 0 { vec![] } else { vec![id(i - 1)] },
            ..Revision::default()
        })
        .collect()
}

/// 100 labelled branches (`plugin0`..`plugin99`) of 100 revisions; every 25th revision of a
/// branch also merges the previous branch, and every 10th depends on the branch before that.
pub fn branchy() -> Vec<Revision> {
    let at = |branch: u64, step: u64| id(1_000_000 + branch * 1000 + step);
    let mut out = Vec::new();
    for branch in 0..100 {
        for step in 0..100 {
            let mut revision = Revision {
                id: at(branch, step),
                ..Revision::default()
            };
            if step == 0 {
                revision.branch_labels = vec![format!("plugin{branch}")];
            } else {
                revision.down_revisions.push(at(branch, step - 1));
            }
            if step % 25 == 0 && step > 0 && branch > 0 {
                revision.down_revisions.push(at(branch - 1, step - 1));
            }
            if step % 10 == 5 && branch > 1 {
                revision.depends_on.push(format!("plugin{}", branch - 2));
            }
            out.push(revision);
        }
    }
    out
}
