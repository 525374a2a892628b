//! Generated revision files compile, and recording one gives back the same file.

#[path = "fixtures/codegen/every_operation.rs"]
mod every_operation;

use outflow::ops::Operations;
use outflow::revision::codegen::{NewRevision, render};

#[test]
fn a_generated_file_records_the_operations_it_was_generated_from() {
    let text = include_str!("fixtures/codegen/every_operation.rs");
    let mut up = Operations::new();
    every_operation::upgrade(&mut up);
    let mut down = Operations::new();
    every_operation::downgrade(&mut down);
    assert_eq!(up.len(), 20);
    let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let message = "Every operation\n\nwith a second paragraph";
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 25)
        .unwrap()
        .and_hms_opt(16, 21, 37)
        .unwrap();
    let again = render(&NewRevision {
        id: every_operation::REVISION,
        message,
        down_revisions: &strings(every_operation::DOWN_REVISION),
        branch_labels: &strings(every_operation::BRANCH_LABELS),
        depends_on: &strings(every_operation::DEPENDS_ON),
        create_date: date,
        upgrade: up.as_slice(),
        downgrade: down.as_slice(),
        notes: &[],
        header: &[],
        irreversible: None,
    });
    assert_eq!(
        again, text,
        "writing what the file records must give the file back"
    );
}
