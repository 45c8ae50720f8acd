//! A partner asks for more information; the practitioner answers from the referral's reply
//! page; the answer reaches the partner through the outbox with a fresh link, and the whole
//! conversation shows on the referral.

use diesel::prelude::*;
use liaison::db::schema::{referral_messages, referrals};
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, csrf_token, location};
use crate::referrals::{WAIT, answer_link, by_recipient, send_referral, setup};

both_databases!(a_question_from_the_partner_is_answered_through_the_outbox);

async fn a_question_from_the_partner_is_answered_through_the_outbox(db: Db) {
    let s = setup(db).await;
    send_referral(&s).await;
    s.app.outbox_pass();
    let first = s.server.wait_for_messages(2, WAIT);
    let old_link = answer_link(by_recipient(&first, "nhs.net"));
    let partner = s.app.another_client();
    let (_, form) = partner.page(&old_link).await;
    let token = csrf_token(&form);
    let asked = [
        ("csrf_token", token.as_str()),
        ("answer", "more-information"),
        ("message", "Is she registered with a GP?"),
    ];
    assert_eq!(partner.post(&old_link, &asked).await.status(), StatusCode::OK);
    let id: String = referrals::table
        .filter(referrals::status.eq("more-information"))
        .select(referrals::id)
        .first(&mut s.app.conn())
        .unwrap();
    let episode_path = format!("/episodes/{}", s.episode);
    let (_, episode) = s.app.page(&episode_path).await;
    assert!(episode.contains("Is she registered with a GP?") && episode.contains("Answer their question"));

    // The reply page shows the question; an empty answer is refused at the field.
    let reply_path = format!("/referrals/{id}/reply");
    let (status, reply_page) = s.app.page(&reply_path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(reply_page.contains("Is she registered with a GP?") && reply_page.contains("camhs.referrals@nhs.net"));
    let res = s.app.submit(&reply_path, &reply_path, &[("message", "  ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Enter your answer to the service"));
    assert_eq!(s.server.messages().len(), 2, "nothing sent");

    let reply = "Yes: Dr Patel, Wembley Park Surgery";
    let res = s.app.submit(&reply_path, &reply_path, &[("message", reply)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("{episode_path}?done=replied#referrals"));
    let status: String = referrals::table
        .find(&id)
        .select(referrals::status)
        .first(&mut s.app.conn())
        .unwrap();
    assert_eq!(status, "queued", "sent again through the outbox");

    // The partner gets the question and the answer, and a new link that works.
    s.app.outbox_pass();
    let all = s.server.wait_for_messages(3, WAIT);
    let sent = all
        .iter()
        .find(|m| m.subject().unwrap().starts_with("More information:"))
        .unwrap();
    assert!(
        sent.rcpt_to.iter().all(|r| r.contains("nhs.net")),
        "only the service that asked"
    );
    let text = sent.text_part().unwrap();
    assert!(text.contains("Is she registered with a GP?") && text.contains(reply));
    let new_link = answer_link(sent);
    assert_ne!(new_link, old_link);
    assert_eq!(
        partner.page(&old_link).await.0,
        StatusCode::GONE,
        "the old link stays used"
    );
    let (status, form) = partner.page(&new_link).await;
    assert_eq!(status, StatusCode::OK);
    let token = csrf_token(&form);
    let accepted = [("csrf_token", token.as_str()), ("answer", "accepted")];
    assert_eq!(partner.post(&new_link, &accepted).await.status(), StatusCode::OK);

    // The conversation is kept, in order, with who wrote each turn.
    let turns: Vec<(String, String)> = referral_messages::table
        .filter(referral_messages::referral_id.eq(&id))
        .order(referral_messages::created_at.asc())
        .select((referral_messages::sender, referral_messages::body))
        .load(&mut s.app.conn())
        .unwrap();
    assert_eq!(
        turns,
        [
            ("partner".to_string(), "Is she registered with a GP?".to_string()),
            ("team".to_string(), reply.to_string())
        ]
    );
    let (_, episode) = s.app.page(&episode_path).await;
    let question_at = episode.find("Is she registered with a GP?").unwrap();
    let reply_at = episode.find("Dr Patel, Wembley Park Surgery").unwrap();
    assert!(question_at < reply_at, "oldest first");
    assert!(episode.contains("Our reply") && !episode.contains("Answer their question"));
    assert_eq!(
        s.app.page(&reply_path).await.0,
        StatusCode::CONFLICT,
        "nothing left to answer"
    );
    let audited = s.app.audit_rows("email");
    assert!(audited.iter().any(|a| {
        a.detail
            .as_deref()
            .is_some_and(|d| d.contains("reply to more information"))
    }));
}
