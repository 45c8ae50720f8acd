//! Table definitions shared by both backends. Written by hand to the common SQL subset:
//! ids are text UUIDs made in Rust, timestamps are UTC Unix milliseconds.

diesel::table! {
    teams (id) {
        id -> Text,
        name -> Text,
        created_at -> BigInt,
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
    }
}

diesel::joinable!(user_teams -> users (user_id));
diesel::joinable!(user_teams -> teams (team_id));
diesel::joinable!(sessions -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    teams,
    users,
    user_teams,
    sessions,
    settings,
    audit_events
);
