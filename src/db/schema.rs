//! Table definitions shared by both backends. Written by hand to the common SQL subset:
//! ids are text UUIDs made in Rust, timestamps are UTC Unix milliseconds.

diesel::table! {
    teams (id) {
        id -> Text,
        name -> Text,
        created_at -> BigInt,
        kind -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        username -> Text,
        display_name -> Text,
        role -> Text,
        password_hash -> Text,
        disabled -> Bool,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    user_teams (user_id, team_id) {
        user_id -> Text,
        team_id -> Text,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        csrf_token -> Text,
        created_at -> BigInt,
        last_seen_at -> BigInt,
        expires_at -> BigInt,
        revoked_at -> Nullable<BigInt>,
        ended_reason -> Nullable<Text>,
        factor_checked_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    second_factors (user_id) {
        user_id -> Text,
        secret -> Nullable<Text>,
        enrolled_at -> Nullable<BigInt>,
        last_step -> Nullable<BigInt>,
        candidate -> Nullable<Text>,
        candidate_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> Text,
        user_id -> Text,
        code_hash -> Text,
        created_at -> BigInt,
        used_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    pending_sign_ins (id) {
        id -> Text,
        user_id -> Text,
        stage -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::table! {
    settings (name) {
        name -> Text,
        value -> Text,
    }
}

diesel::table! {
    audit_events (id) {
        id -> BigInt,
        at -> BigInt,
        user_id -> Nullable<Text>,
        username -> Nullable<Text>,
        role -> Nullable<Text>,
        team -> Nullable<Text>,
        action -> Text,
        record_type -> Nullable<Text>,
        record_id -> Nullable<Text>,
        outcome -> Text,
        detail -> Nullable<Text>,
        client_addr -> Nullable<Text>,
        person_id -> Nullable<Text>,
        basis -> Nullable<Text>,
        prev_hash -> Nullable<Text>,
        hash -> Nullable<Text>,
    }
}

diesel::table! {
    access_overrides (id) {
        id -> Text,
        kind -> Text,
        user_id -> Text,
        person_id -> Text,
        episode_id -> Nullable<Text>,
        reason -> Text,
        note -> Text,
        started_at -> BigInt,
        expires_at -> BigInt,
        review_due -> BigInt,
        review_outcome -> Nullable<Text>,
        review_note -> Nullable<Text>,
        reviewed_by -> Nullable<Text>,
        reviewed_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    sites (id) {
        id -> Text,
        team_id -> Text,
        name -> Text,
        kind -> Text,
        opens_at -> Nullable<Text>,
        closes_at -> Nullable<Text>,
        target_minutes -> Integer,
        active -> Bool,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    shifts (id) {
        id -> Text,
        user_id -> Text,
        contact_phone -> Text,
        started_at -> BigInt,
        ended_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    shift_sites (shift_id, site_id) {
        shift_id -> Text,
        site_id -> Text,
    }
}

diesel::table! {
    people (id) {
        id -> Text,
        nhs_number -> Nullable<Text>,
        pnc_id -> Nullable<Text>,
        cro_number -> Nullable<Text>,
        given_name -> Text,
        family_name -> Text,
        given_key -> Text,
        family_key -> Text,
        date_of_birth -> Text,
        sex -> Nullable<Text>,
        gender_identity -> Nullable<Text>,
        ethnic_category -> Nullable<Text>,
        preferred_language -> Nullable<Text>,
        interpreter_needed -> Bool,
        gp_practice -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
        merged_into -> Nullable<Text>,
        died_on -> Nullable<Text>,
    }
}

diesel::table! {
    person_merges (id) {
        id -> Text,
        kept_id -> Text,
        merged_id -> Text,
        reason -> Text,
        identifiers_moved -> Text,
        merged_by -> Text,
        merged_at -> BigInt,
        undone_by -> Nullable<Text>,
        undone_at -> Nullable<BigInt>,
        undo_reason -> Nullable<Text>,
    }
}

diesel::table! {
    person_merge_moves (merge_id, table_name, row_id) {
        merge_id -> Text,
        table_name -> Text,
        row_id -> Text,
    }
}

diesel::table! {
    episodes (id) {
        id -> Text,
        person_id -> Text,
        site_id -> Text,
        team_id -> Text,
        status -> Text,
        youth -> Bool,
        alert_at -> BigInt,
        reference -> Nullable<Text>,
        offence -> Nullable<Text>,
        arrest_or_listing_at -> Nullable<BigInt>,
        referral_source -> Text,
        concern -> Text,
        voluntary_attendance -> Bool,
        location -> Nullable<Text>,
        allocated_to -> Nullable<Text>,
        urgent -> Bool,
        risk_to_self -> Bool,
        risk_to_others -> Bool,
        risk_from_others -> Bool,
        safeguarding -> Bool,
        screening_started_at -> Nullable<BigInt>,
        screened_at -> Nullable<BigInt>,
        assessment_started_at -> Nullable<BigInt>,
        assessed_at -> Nullable<BigInt>,
        closed_at -> Nullable<BigInt>,
        closure_outcome -> Nullable<Text>,
        closure_note -> Nullable<Text>,
        created_by -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
        cj_stage -> Nullable<Text>,
        not_seen_reason -> Nullable<Text>,
    }
}

diesel::table! {
    screenings (episode_id) {
        episode_id -> Text,
        consent -> Text,
        vulnerabilities -> Text,
        presenting_concerns -> Text,
        outcome -> Text,
        completed_by -> Text,
        completed_at -> BigInt,
    }
}

diesel::table! {
    appropriate_adults (episode_id) {
        episode_id -> Text,
        name -> Text,
        relationship -> Text,
        phone -> Text,
        present -> Bool,
        recorded_by -> Text,
        recorded_at -> BigInt,
    }
}

diesel::table! {
    assessment_sections (episode_id, section) {
        episode_id -> Text,
        section -> Text,
        content -> Text,
        complete -> Bool,
        updated_by -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    timeline_entries (id) {
        id -> Text,
        episode_id -> Text,
        at -> BigInt,
        author_id -> Text,
        kind -> Text,
        body -> Text,
        corrects_id -> Nullable<Text>,
    }
}

diesel::table! {
    handovers (id) {
        id -> Text,
        episode_id -> Text,
        site_id -> Text,
        shift_id -> Nullable<Text>,
        note -> Text,
        written_by -> Text,
        written_at -> BigInt,
    }
}

diesel::table! {
    partner_organisations (id) {
        id -> Text,
        name -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    partner_services (id) {
        id -> Text,
        organisation_id -> Text,
        name -> Text,
        service_type -> Text,
        phone -> Nullable<Text>,
        areas -> Nullable<Text>,
        last_verified -> Nullable<Text>,
        active -> Bool,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    partner_addresses (id) {
        id -> Text,
        service_id -> Text,
        email -> Text,
    }
}

diesel::table! {
    referrals (id) {
        id -> Text,
        episode_id -> Text,
        service_id -> Nullable<Text>,
        kind -> Text,
        reason -> Text,
        urgency -> Text,
        shared_information -> Text,
        consent -> Text,
        lawful_basis -> Nullable<Text>,
        consent_override -> Nullable<Text>,
        status -> Text,
        submission_key -> Text,
        reference -> Text,
        answer_reason -> Nullable<Text>,
        answer_message -> Nullable<Text>,
        created_by -> Text,
        created_at -> BigInt,
        sent_at -> Nullable<BigInt>,
        answered_at -> Nullable<BigInt>,
        last_chased_at -> Nullable<BigInt>,
        chase_count -> Integer,
        updated_at -> BigInt,
    }
}

diesel::table! {
    share_consents (id) {
        id -> Text,
        episode_id -> Text,
        person_id -> Text,
        version -> Integer,
        method -> Text,
        witness -> Nullable<Text>,
        interpreter -> Bool,
        easy_read -> Bool,
        capacity -> Text,
        capacity_note -> Nullable<Text>,
        guardian -> Nullable<Text>,
        withdrawal -> Bool,
        note -> Nullable<Text>,
        captured_by -> Text,
        captured_at -> BigInt,
    }
}

diesel::table! {
    share_consent_scopes (consent_id, scope) {
        consent_id -> Text,
        scope -> Text,
        answer -> Text,
        limits -> Nullable<Text>,
    }
}

diesel::table! {
    shares (id) {
        id -> Text,
        episode_id -> Text,
        person_id -> Text,
        scope -> Text,
        recipient -> Text,
        document -> Text,
        document_version -> Nullable<Integer>,
        content_hash -> Text,
        basis -> Text,
        basis_detail -> Nullable<Text>,
        consulted -> Nullable<Text>,
        caldicott_told -> Bool,
        consent_id -> Nullable<Text>,
        shared_by -> Text,
        shared_at -> BigInt,
        review_due -> Nullable<BigInt>,
        review_outcome -> Nullable<Text>,
        review_note -> Nullable<Text>,
        reviewed_by -> Nullable<Text>,
        reviewed_at -> Nullable<BigInt>,
        outbox_id -> Nullable<Text>,
    }
}

diesel::table! {
    mhtr_review_requests (id) {
        id -> Text,
        case_id -> Text,
        requested_by -> Text,
        requested_at -> BigInt,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    alert_kinds (code) {
        code -> Text,
        label -> Text,
        active -> Bool,
        created_at -> BigInt,
    }
}

diesel::table! {
    person_alerts (id) {
        id -> Text,
        person_id -> Text,
        kind -> Text,
        note -> Text,
        review_on -> Text,
        raised_by -> Text,
        raised_at -> BigInt,
        reviewed_by -> Nullable<Text>,
        reviewed_at -> Nullable<BigInt>,
        ended_by -> Nullable<Text>,
        ended_at -> Nullable<BigInt>,
        end_reason -> Nullable<Text>,
    }
}

diesel::table! {
    referral_messages (id) {
        id -> Text,
        referral_id -> Text,
        sender -> Text,
        author -> Text,
        body -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    answer_links (token_hash) {
        token_hash -> Text,
        referral_id -> Text,
        email -> Text,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        message_id -> Text,
        referral_id -> Nullable<Text>,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> BigInt,
        locked_until -> BigInt,
        last_error -> Nullable<Text>,
        created_at -> BigInt,
        sent_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    safeguarding_concerns (id) {
        id -> Text,
        episode_id -> Text,
        kind -> Text,
        agency -> Text,
        raised_on -> Text,
        agency_reference -> Nullable<Text>,
        outcome -> Nullable<Text>,
        recorded_by -> Text,
        recorded_at -> BigInt,
    }
}

diesel::table! {
    mhtr_referrals (id) {
        id -> Text,
        person_id -> Text,
        episode_id -> Nullable<Text>,
        team_id -> Text,
        reason -> Text,
        hearing_date -> Nullable<Text>,
        status -> Text,
        decline_reason -> Nullable<Text>,
        referred_by -> Text,
        created_at -> BigInt,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    mhtr_cases (id) {
        id -> Text,
        person_id -> Text,
        team_id -> Text,
        referral_id -> Nullable<Text>,
        status -> Text,
        referral_source -> Text,
        court -> Nullable<Text>,
        next_hearing -> Nullable<Text>,
        deadline_kind -> Text,
        report_due -> Nullable<Text>,
        eligibility_outcome -> Nullable<Text>,
        eligibility_reasons -> Nullable<Text>,
        exit_reason -> Nullable<Text>,
        exit_note -> Nullable<Text>,
        accepted_at -> BigInt,
        eligibility_at -> Nullable<BigInt>,
        closed_at -> Nullable<BigInt>,
        created_by -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
        referral_reason -> Nullable<Text>,
        referrer_name -> Nullable<Text>,
        referrer_organisation -> Nullable<Text>,
        referrer_email -> Nullable<Text>,
        referrer_phone -> Nullable<Text>,
        treatment_type -> Nullable<Text>,
        planned_sessions -> Nullable<Integer>,
        treating_team -> Nullable<Text>,
        negotiation_outcome -> Nullable<Text>,
    }
}

diesel::table! {
    mhtr_case_events (id) {
        id -> Text,
        case_id -> Text,
        at -> BigInt,
        author_id -> Text,
        from_status -> Text,
        to_status -> Text,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    mhtr_outreach (id) {
        id -> Text,
        team_id -> Text,
        held_on -> Text,
        audience -> Text,
        organisation -> Text,
        attendees -> Integer,
        notes -> Nullable<Text>,
        recorded_by -> Text,
        recorded_at -> BigInt,
    }
}

diesel::table! {
    mhtr_assessment_sections (case_id, section) {
        case_id -> Text,
        section -> Text,
        content -> Text,
        complete -> Bool,
        updated_by -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    mhtr_consents (id) {
        id -> Text,
        case_id -> Text,
        decision -> Text,
        decided_on -> Text,
        capacity_note -> Text,
        witness -> Text,
        recorded_by -> Text,
        recorded_at -> BigInt,
    }
}

diesel::table! {
    mhtr_negotiation_contacts (id) {
        id -> Text,
        case_id -> Text,
        service_id -> Text,
        clinician -> Text,
        contacted_on -> Text,
        method -> Text,
        agreed -> Text,
        recorded_by -> Text,
        recorded_at -> BigInt,
    }
}

diesel::table! {
    mhtr_psychology_reviews (id) {
        id -> Text,
        case_id -> Text,
        reviewer_id -> Text,
        reviewed_on -> Text,
        decision -> Text,
        notes -> Nullable<Text>,
        recorded_by -> Text,
        recorded_at -> BigInt,
    }
}

diesel::table! {
    mhtr_hearings (id) {
        id -> Text,
        case_id -> Text,
        heard_on -> Text,
        outcome -> Text,
        adjourned_to -> Nullable<Text>,
        notes -> Nullable<Text>,
        recorded_by -> Text,
        recorded_at -> BigInt,
    }
}

diesel::table! {
    mhtr_orders (case_id) {
        case_id -> Text,
        sentenced_on -> Text,
        order_type -> Text,
        requirement_months -> Integer,
        responsible_officer -> Text,
        responsible_officer_email -> Text,
        treating_practitioner -> Text,
        completion_outcome -> Nullable<Text>,
        completed_at -> Nullable<BigInt>,
        recorded_by -> Text,
        recorded_at -> BigInt,
    }
}

diesel::table! {
    mhtr_sessions (id) {
        id -> Text,
        case_id -> Text,
        planned_on -> Text,
        attendance -> Nullable<Text>,
        reason -> Nullable<Text>,
        recorded_by -> Text,
        recorded_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    mhtr_measures (id) {
        id -> Text,
        case_id -> Text,
        measure -> Text,
        phase -> Text,
        score -> Integer,
        taken_on -> Text,
        recorded_by -> Text,
        recorded_at -> BigInt,
    }
}

diesel::table! {
    mhtr_centre_contacts (id) {
        id -> Text,
        case_id -> Text,
        centre -> Text,
        contacted_on -> Text,
        method -> Text,
        notes -> Nullable<Text>,
        recorded_by -> Text,
        recorded_at -> BigInt,
    }
}

diesel::table! {
    mhtr_compliance_events (id) {
        id -> Text,
        case_id -> Text,
        kind -> Text,
        occurred_on -> Text,
        notes -> Nullable<Text>,
        outbox_id -> Nullable<Text>,
        recorded_by -> Text,
        recorded_at -> BigInt,
    }
}

diesel::table! {
    reports (id) {
        id -> Text,
        kind -> Text,
        subject_type -> Text,
        subject_id -> Text,
        person_id -> Text,
        team_id -> Text,
        status -> Text,
        created_by -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
        signed_off_by -> Nullable<Text>,
        signed_off_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    report_sections (report_id, code) {
        report_id -> Text,
        position -> Integer,
        code -> Text,
        title -> Text,
        body -> Text,
        answers -> Text,
    }
}

diesel::table! {
    report_addenda (id) {
        id -> Text,
        report_id -> Text,
        body -> Text,
        created_by -> Text,
        created_at -> BigInt,
        version -> Nullable<Integer>,
        signed_off_by -> Nullable<Text>,
        signed_off_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    report_sends (id) {
        id -> Text,
        report_id -> Text,
        version -> Integer,
        recipient -> Text,
        outbox_id -> Text,
        sent_by -> Text,
        sent_at -> BigInt,
    }
}

diesel::table! {
    report_includes (report_id, field) {
        report_id -> Text,
        field -> Text,
        reason -> Text,
        included_by -> Text,
        included_at -> BigInt,
    }
}

diesel::table! {
    report_waivers (report_id, item) {
        report_id -> Text,
        item -> Text,
        reason -> Text,
        waived_by -> Text,
        waived_at -> BigInt,
    }
}

diesel::table! {
    report_links (token_hash) {
        token_hash -> Text,
        report_id -> Text,
        version -> Integer,
        email -> Text,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    request_keys (key) {
        key -> Text,
        created_at -> BigInt,
        location -> Nullable<Text>,
    }
}

diesel::table! {
    person_retention (person_id) {
        person_id -> Text,
        class -> Text,
        last_contact_on -> Nullable<Text>,
        review_on -> Nullable<Text>,
        preserved -> Bool,
        computed_on -> Text,
    }
}

diesel::table! {
    retention_decisions (id) {
        id -> Text,
        person_id -> Text,
        decision -> Text,
        reason -> Text,
        new_review_on -> Nullable<Text>,
        decided_by -> Text,
        decided_at -> BigInt,
    }
}

diesel::table! {
    legal_holds (id) {
        id -> Text,
        person_id -> Text,
        reason -> Text,
        placed_by -> Text,
        placed_at -> BigInt,
        lifted_by -> Nullable<Text>,
        lifted_at -> Nullable<BigInt>,
        lift_reason -> Nullable<Text>,
    }
}

diesel::table! {
    record_destructions (id) {
        id -> Text,
        person_id -> Text,
        class -> Text,
        last_contact_on -> Nullable<Text>,
        review_on -> Text,
        reason -> Text,
        approved_by -> Text,
        destroyed_at -> BigInt,
        rows_removed -> BigInt,
        list_hash -> Text,
    }
}

diesel::table! {
    destroyed_people (person_id) {
        person_id -> Text,
        destruction_id -> Text,
    }
}

diesel::table! {
    destroyed_audit_links (audit_id) {
        audit_id -> BigInt,
        prev_hash -> Text,
        hash -> Text,
        destruction_id -> Text,
    }
}

diesel::table! {
    vetting_clearances (id) {
        id -> Text,
        user_id -> Text,
        level -> Text,
        reference -> Text,
        granted_on -> Text,
        expires_on -> Text,
        recorded_by -> Text,
        recorded_at -> BigInt,
        superseded_at -> Nullable<BigInt>,
        superseded_by -> Nullable<Text>,
    }
}

diesel::table! {
    data_returns (id) {
        id -> Text,
        quarter -> Text,
        version -> Integer,
        status -> Text,
        suppression_rule -> Text,
        created_by -> Text,
        created_at -> BigInt,
        validated_by -> Nullable<Text>,
        validated_at -> Nullable<BigInt>,
        blocking -> Integer,
        warnings -> Integer,
        locked_by -> Nullable<Text>,
        locked_at -> Nullable<BigInt>,
        content -> Nullable<Text>,
        sha256 -> Nullable<Text>,
        generator_version -> Nullable<Text>,
        row_count -> Nullable<Integer>,
        episode_count -> Nullable<Integer>,
    }
}

diesel::table! {
    episode_facts (alert_at, episode_id) {
        episode_id -> Text,
        alert_at -> BigInt,
        person_id -> Text,
        site_id -> Text,
        team_id -> Text,
        youth -> Bool,
        referral_source -> Text,
        voluntary_attendance -> Bool,
        cj_stage -> Nullable<Text>,
        not_seen_reason -> Nullable<Text>,
        screening_started_at -> Nullable<BigInt>,
        screened_at -> Nullable<BigInt>,
        assessed_at -> Nullable<BigInt>,
        closed_at -> Nullable<BigInt>,
        nhs_number -> Nullable<Text>,
        date_of_birth -> Text,
        sex -> Nullable<Text>,
        gender_identity -> Nullable<Text>,
        ethnic_category -> Nullable<Text>,
        vulnerabilities -> Nullable<Text>,
        referrals -> Integer,
        referrals_attended -> Integer,
        referrals_not_attended -> Integer,
        first_referral_at -> Nullable<BigInt>,
        shared_with -> Text,
        person_number -> BigInt,
    }
}

diesel::table! {
    fact_people (number) {
        number -> BigInt,
        person_id -> Text,
    }
}

diesel::table! {
    month_tallies (dimension, month_from, site_id, team_id, youth, grp) {
        dimension -> Text,
        month_from -> BigInt,
        site_id -> Text,
        team_id -> Text,
        youth -> Bool,
        grp -> Text,
        tally -> Text,
        people -> Binary,
    }
}

diesel::table! {
    tallied_months (month_from) {
        month_from -> BigInt,
        month_to -> BigInt,
        latest_screening -> Nullable<BigInt>,
    }
}

diesel::table! {
    fact_changes (episode_id) {
        episode_id -> Text,
    }
}

diesel::joinable!(user_teams -> users (user_id));
diesel::joinable!(user_teams -> teams (team_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(second_factors -> users (user_id));
diesel::joinable!(recovery_codes -> users (user_id));
diesel::joinable!(pending_sign_ins -> users (user_id));

diesel::joinable!(sites -> teams (team_id));
diesel::joinable!(shift_sites -> shifts (shift_id));
diesel::joinable!(shift_sites -> sites (site_id));
diesel::joinable!(shifts -> users (user_id));
diesel::joinable!(episodes -> people (person_id));
diesel::joinable!(episodes -> sites (site_id));
diesel::joinable!(screenings -> episodes (episode_id));
diesel::joinable!(appropriate_adults -> episodes (episode_id));
diesel::joinable!(handovers -> episodes (episode_id));
diesel::joinable!(partner_services -> partner_organisations (organisation_id));
diesel::joinable!(partner_addresses -> partner_services (service_id));
diesel::joinable!(referrals -> episodes (episode_id));
diesel::joinable!(referrals -> partner_services (service_id));
diesel::joinable!(answer_links -> referrals (referral_id));
diesel::joinable!(outbox -> referrals (referral_id));
diesel::joinable!(safeguarding_concerns -> episodes (episode_id));
diesel::joinable!(mhtr_referrals -> people (person_id));
diesel::joinable!(mhtr_cases -> people (person_id));
diesel::joinable!(mhtr_case_events -> mhtr_cases (case_id));
diesel::joinable!(mhtr_assessment_sections -> mhtr_cases (case_id));
diesel::joinable!(mhtr_consents -> mhtr_cases (case_id));
diesel::joinable!(mhtr_negotiation_contacts -> mhtr_cases (case_id));
diesel::joinable!(mhtr_negotiation_contacts -> partner_services (service_id));
diesel::joinable!(mhtr_psychology_reviews -> mhtr_cases (case_id));
diesel::joinable!(mhtr_hearings -> mhtr_cases (case_id));
diesel::joinable!(mhtr_orders -> mhtr_cases (case_id));
diesel::joinable!(mhtr_sessions -> mhtr_cases (case_id));
diesel::joinable!(mhtr_measures -> mhtr_cases (case_id));
diesel::joinable!(mhtr_centre_contacts -> mhtr_cases (case_id));
diesel::joinable!(mhtr_compliance_events -> mhtr_cases (case_id));
diesel::joinable!(report_sections -> reports (report_id));
diesel::joinable!(report_addenda -> reports (report_id));
diesel::joinable!(report_sends -> reports (report_id));
diesel::joinable!(access_overrides -> people (person_id));
diesel::joinable!(person_retention -> people (person_id));
diesel::joinable!(person_alerts -> alert_kinds (kind));
diesel::joinable!(share_consent_scopes -> share_consents (consent_id));
diesel::joinable!(vetting_clearances -> users (user_id));

diesel::table! {
    /// Moved on by triggers with every change to what the live list shows.
    board_version (id) {
        id -> SmallInt,
        version -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    episode_facts,
    fact_changes,
    fact_people,
    month_tallies,
    tallied_months,
    data_returns,
    teams,
    share_consents,
    share_consent_scopes,
    shares,
    mhtr_review_requests,
    person_merges,
    person_merge_moves,
    alert_kinds,
    person_alerts,
    referral_messages,
    users,
    user_teams,
    sessions,
    second_factors,
    recovery_codes,
    pending_sign_ins,
    settings,
    audit_events,
    access_overrides,
    sites,
    shifts,
    shift_sites,
    people,
    episodes,
    screenings,
    appropriate_adults,
    assessment_sections,
    timeline_entries,
    handovers,
    partner_organisations,
    partner_services,
    partner_addresses,
    referrals,
    answer_links,
    outbox,
    safeguarding_concerns,
    mhtr_referrals,
    mhtr_cases,
    mhtr_case_events,
    mhtr_outreach,
    mhtr_assessment_sections,
    mhtr_consents,
    mhtr_negotiation_contacts,
    mhtr_psychology_reviews,
    mhtr_hearings,
    mhtr_orders,
    mhtr_sessions,
    mhtr_measures,
    mhtr_centre_contacts,
    mhtr_compliance_events,
    reports,
    report_sections,
    report_addenda,
    report_sends,
    report_includes,
    report_waivers,
    report_links,
    request_keys,
    person_retention,
    retention_decisions,
    legal_holds,
    record_destructions,
    destroyed_people,
    destroyed_audit_links,
    vetting_clearances,
);
