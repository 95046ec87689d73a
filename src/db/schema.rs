//! Table definitions shared by both backends (portable column types only).

diesel::table! {
    moderators (id) {
        id -> Text,
        email -> Text,
        password_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        occurred_at -> Timestamp,
        actor_kind -> Text,
        actor_id -> Nullable<Text>,
        action -> Text,
        subject_kind -> Text,
        subject_id -> Text,
        reason -> Nullable<Text>,
        details -> Text,
        seq -> Nullable<BigInt>,
        prev_hash -> Nullable<Text>,
        hash -> Nullable<Text>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        token_hash -> Text,
        role -> Text,
        principal_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}
diesel::table! {
    outbox (id) {
        id -> Text,
        template -> Text,
        lang -> Text,
        recipient -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        created_at -> Timestamp,
        next_attempt_at -> Timestamp,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        claimed_until -> Nullable<Timestamp>,
        claimed_by -> Nullable<Text>,
        sent_at -> Nullable<Timestamp>,
        gave_up_at -> Nullable<Timestamp>,
        intake_id -> Nullable<Text>,
        recipient_hash -> Nullable<Text>,
    }
}

diesel::table! {
    moderator_alerts (id) {
        id -> Text,
        recipient -> Text,
        template -> Text,
        subject -> Text,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    experts (id) {
        id -> Text,
        status -> Text,
        paused -> Bool,
        company_name -> Text,
        kvk_number -> Text,
        email -> Text,
        password_hash -> Text,
        contact_name -> Text,
        phone -> Text,
        website -> Nullable<Text>,
        base_lat -> Double,
        base_lon -> Double,
        base_place -> Text,
        base_municipality -> Text,
        base_province -> Text,
        radius_km -> Integer,
        remote -> Bool,
        languages -> Text,
        capacity -> Integer,
        open_cases -> Integer,
        available_24_7 -> Bool,
        code_of_conduct_version -> Integer,
        code_of_conduct_accepted_at -> Timestamp,
        status_reason -> Nullable<Text>,
        verified_at -> Nullable<Timestamp>,
        approved_at -> Nullable<Timestamp>,
        last_referral_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        code_of_conduct_notified_version -> Nullable<Integer>,
    }
}

diesel::table! {
    expert_changes (seq) {
        seq -> BigInt,
        expert_id -> Nullable<Text>,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    expert_expertise (expert_id, incident_type) {
        expert_id -> Text,
        incident_type -> Text,
    }
}

diesel::table! {
    expert_verification_tokens (token_hash) {
        token_hash -> Text,
        expert_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    code_of_conduct_versions (version) {
        version -> Integer,
        text_nl -> Text,
        text_en -> Text,
        published_at -> Timestamp,
        published_by -> Nullable<Text>,
    }
}

diesel::table! {
    login_throttle (email_hash) {
        email_hash -> Text,
        failed_logins -> Integer,
        last_failed_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::joinable!(expert_expertise -> experts (expert_id));
diesel::joinable!(expert_verification_tokens -> experts (expert_id));

diesel::table! {
    intakes (id) {
        id -> Text,
        status -> Text,
        incident_type -> Text,
        urgency -> Text,
        description -> Nullable<Text>,
        place -> Text,
        municipality -> Text,
        province -> Text,
        lat -> Double,
        lon -> Double,
        needs_on_site -> Bool,
        language -> Text,
        contact_name -> Nullable<Text>,
        contact_email -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        company_name -> Nullable<Text>,
        company_kvk -> Nullable<Text>,
        company_employees -> Nullable<Integer>,
        company_sector -> Nullable<Text>,
        disclaimer_version -> Text,
        consented_at -> Timestamp,
        idempotency_key -> Nullable<Text>,
        request_fingerprint -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        outcome -> Nullable<Text>,
        erased_at -> Nullable<Timestamp>,
        connected_expert_id -> Nullable<Text>,
        connected_at -> Nullable<Timestamp>,
        feedback_invited_at -> Nullable<Timestamp>,
        resilience_invited_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    intake_tokens (token_hash) {
        token_hash -> Text,
        intake_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    intake_matches (intake_id, expert_id) {
        intake_id -> Text,
        expert_id -> Text,
        rank -> Integer,
        mode -> Text,
        distance_km -> Double,
        reason_codes -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(intake_matches -> intakes (intake_id));
diesel::joinable!(intake_tokens -> intakes (intake_id));

diesel::table! {
    help_requests (id) {
        id -> Text,
        intake_id -> Text,
        expert_id -> Text,
        status -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        responded_at -> Nullable<Timestamp>,
        decline_reason -> Nullable<Text>,
        completed_at -> Nullable<Timestamp>,
        summary -> Nullable<Text>,
    }
}

diesel::table! {
    intake_steps (intake_id, step) {
        intake_id -> Text,
        step -> Integer,
        done -> Bool,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    intake_link_tokens (token_hash) {
        token_hash -> Text,
        intake_id -> Text,
        purpose -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    intake_feedback (intake_id) {
        intake_id -> Text,
        helped -> Integer,
        resolved -> Bool,
        more_resilient -> Bool,
        comment -> Nullable<Text>,
        created_at -> Timestamp,
        offered_paid_services -> Nullable<Bool>,
    }
}

diesel::table! {
    intake_resilience (intake_id) {
        intake_id -> Text,
        mfa_enabled -> Bool,
        offline_backups -> Bool,
        reported_to_police -> Bool,
        comment -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    resilience_answers (intake_id, phase) {
        intake_id -> Text,
        phase -> Text,
        offline_backups -> Text,
        mfa -> Text,
        incident_plan -> Text,
        auto_updates -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    complaints (id) {
        id -> Text,
        intake_id -> Text,
        expert_id -> Text,
        reason -> Text,
        status -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    complaint_actions (complaint_id, audit_id) {
        complaint_id -> Text,
        audit_id -> Text,
    }
}

diesel::joinable!(help_requests -> intakes (intake_id));
diesel::joinable!(help_requests -> experts (expert_id));
diesel::joinable!(complaints -> experts (expert_id));
diesel::joinable!(resilience_answers -> intakes (intake_id));

diesel::allow_tables_to_appear_in_same_query!(
    help_requests,
    intake_steps,
    intake_link_tokens,
    intake_feedback,
    intake_resilience,
    resilience_answers,
    complaints,
    complaint_actions,
    intakes,
    intake_tokens,
    intake_matches,
    moderators,
    audit_log,
    sessions,
    outbox,
    experts,
    expert_changes,
    expert_expertise,
    expert_verification_tokens,
    code_of_conduct_versions,
    login_throttle,
    moderator_alerts,
);

// The retention columns of `intakes`, as a table of their own: `intakes` is at diesel's
// 32-column limit, and only the retention job and the case view need these.
diesel::table! {
    #[sql_name = "intakes"]
    intake_retention (id) {
        id -> Text,
        status -> Text,
        updated_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        erased_at -> Nullable<Timestamp>,
        pseudonymised_at -> Nullable<Timestamp>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(intake_retention, intake_tokens);

diesel::table! {
    /// One-time data steps done in Rust after the migrations (`crate::db::data_steps`).
    data_steps (name) {
        name -> Text,
        ran_at -> Timestamp,
    }
}
