//! L&D episodes: one contact from identification to closure.

pub mod actions;
pub mod assessment;
pub mod closure;
pub mod intake;
pub mod page;
pub mod screening;
pub mod timeline;
