//! Liaison: case management for NHS Liaison & Diversion teams and the Women's MHTR service.

pub mod admin;
pub mod app;
pub mod audit;
pub mod auth;
pub mod board;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod email;
pub mod episodes;
pub mod handover;
pub mod mhtr;
pub mod ops;
pub mod partners;
pub mod people;
pub mod referrals;
pub mod safeguarding;
pub mod settings;
pub mod shifts;
pub mod sites;
pub mod state;
pub mod views;
pub mod web;
