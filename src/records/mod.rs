//! The records every feature shares: a person, an L&D episode and its timeline, and the
//! loader that reaches an episode through the access model. Features build their pages on
//! these; none of them reaches into another feature for a record.

pub mod access;
pub mod alerts;
pub mod episode;
pub mod person;
pub mod timeline;

pub use episode::Episode;
pub use person::Person;
