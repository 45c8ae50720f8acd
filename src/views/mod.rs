//! The layout and shared components, as plain functions returning `Markup`.

pub mod assets;
pub mod chart;
pub mod components;
pub mod form;
pub mod layout;
pub mod nav;

pub use layout::{Page, error_page, refusal_with_break_glass};
