//! An administrator sets the letterhead printed reports carry and, per L&D report kind, who
//! signs it off; both take effect at once and the change is audited.

use liaison::domain::Role;
use liaison::reports::kinds::CUSTODY_SUMMARY;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::Db;
use crate::ld_reports::{consent, draft, report_path, scene, write_all};

both_databases!(the_letterhead_and_who_signs_off_are_set_by_an_administrator);

async fn the_letterhead_and_who_signs_off_are_set_by_an_administrator(db: Db) {
    let s = scene(db, |_| {}).await;
    s.app.add_user("ada", Role::Administrator, &[]);
    let admin = s.app.another_client();
    admin.sign_in_ok("ada").await;
    let (status, form) = admin.page("/admin/reports").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("Who signs off the custody summary?"));
    // Every kind needs an answer; nothing is saved until each has one.
    let res = admin
        .submit(
            "/admin/reports",
            "/admin/reports",
            &[("letterhead", "Brent L&D\nWembley")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Select who signs off the court report")
    );
    let fields = [
        (
            "letterhead",
            "Brent Liaison and Diversion (synthetic)\n1 Demo Street, Wembley",
        ),
        ("signer-custody-summary", "senior"),
        ("signer-court-report", "senior"),
        ("signer-cps-information", "senior"),
        ("signer-probation-input", "author"),
    ];
    assert_eq!(
        admin.submit("/admin/reports", "/admin/reports", &fields).await.status(),
        StatusCode::SEE_OTHER
    );
    assert!(s.app.audit_rows("update").iter().any(|r| {
        r.detail
            .as_deref()
            .is_some_and(|d| d.contains("custody-summary: senior"))
    }));

    // The author may no longer sign her own custody summary; the letterhead is printed.
    consent(&s, &["police"]).await;
    let path = draft(&s, "custody-summary").await;
    write_all(&s, &CUSTODY_SUMMARY).await;
    let (_, page) = s.app.page(&report_path(&s, "custody-summary")).await;
    assert!(page.contains("A senior practitioner must sign off this custody summary"));
    let sign = format!("{path}/sign-off");
    assert_eq!(s.app.submit(&path, &sign, &[]).await.status(), StatusCode::FORBIDDEN);
    let (_, print) = s.app.page(&format!("{path}/print")).await;
    assert!(print.contains("Brent Liaison and Diversion (synthetic)") && print.contains("1 Demo Street, Wembley"));
}
