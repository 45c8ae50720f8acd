//! Integration tests: the real server on port 0, a fresh database per test, SQLite and
//! PostgreSQL alike. Browser tests drive headless Chromium against the same server.

mod fixtures;
mod harness;

mod access;
mod access_log;
mod admin;
mod alerts;
mod allocation;
mod assessment;
mod bench;
mod board;
mod browser;
mod cli;
mod closure;
mod crash;
mod episodes;
mod generate;
mod html_validity;
mod identity;
mod input;
mod input_forms;
mod merge;
mod mhtr;
mod mhtr_cases;
mod mhtr_court;
mod mhtr_demo;
mod mhtr_external;
mod mhtr_extract;
mod mhtr_outreach;
mod mhtr_suitability;
mod mhtr_treatment;
mod partners;
mod referral_offers;
mod referral_replies;
mod referrals;
mod reports;
mod routes;
mod safeguarding;
mod screening;
mod security;
mod sessions;
mod sharing;
mod smtp_server;
mod smtp_server_selftest;
mod storage;
