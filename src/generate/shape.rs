//! The shape of the data before any row is made: how many episodes each person has (most one
//! to three, a long tail up to [`MAX_EPISODES`]), and who is at which site today.

use std::collections::HashMap;

use super::rng::Rng;
use super::world::{Site, SiteProfile};

/// The most episodes one person gets: a frequent attender over several years.
pub const MAX_EPISODES: u64 = 50;

/// A person seen today at a site (by index): still on its list, or closed earlier today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Today {
    Open(usize),
    ClosedEarlier(usize),
}

pub struct Shape {
    /// Episodes per person, today's included.
    pub counts: Vec<u8>,
    /// People seen today, and where.
    pub today: HashMap<u64, Today>,
    /// Open episodes today per site, in the order of the sites.
    pub open_per_site: Vec<u64>,
}

/// One person's number of episodes before the total is fixed: 64% one, 19% two, 8% three,
/// and a power-law tail from four up to the cap (mean about two).
fn draw_count(rng: &mut Rng) -> u64 {
    let u = rng.unit();
    if u < 0.64 {
        1
    } else if u < 0.83 {
        2
    } else if u < 0.91 {
        3
    } else {
        let tail = 4.0 * (1.0 - rng.unit()).powf(-1.0 / 1.6);
        (tail as u64).min(MAX_EPISODES)
    }
}

/// A step coprime with `n`, so that `start + k * step (mod n)` visits every index once.
fn coprime_step(n: u64) -> u64 {
    [1_000_003, 998_244_353, 2_147_483_647, 3]
        .into_iter()
        .find(|p| !n.is_multiple_of(*p))
        .unwrap_or(1)
}

/// Moves the counts, one at a time and spread over everyone, until they add up to `target`
/// (which lies between one and [`MAX_EPISODES`] per person).
fn adjust(counts: &mut [u8], target: u64, rng: &mut Rng) {
    let n = counts.len() as u64;
    let mut sum: u64 = counts.iter().map(|c| u64::from(*c)).sum();
    let (mut i, step) = (rng.below(n), coprime_step(n));
    while sum != target {
        let c = &mut counts[i as usize];
        if sum < target && u64::from(*c) < MAX_EPISODES {
            *c += 1;
            sum += 1;
        } else if sum > target && *c > 1 {
            *c -= 1;
            sum -= 1;
        }
        i = (i + step) % n;
    }
}

/// Tens of open episodes per site, fewer when the whole request is small (at most a fifth of
/// the episodes are today's, open or closed), and at least one per site.
fn open_per_site(sites: &[Site], episodes: u64, rng: &mut Rng) -> Vec<u64> {
    let mut open: Vec<u64> = sites
        .iter()
        .map(|s| {
            let base = s.kind.open_on_a_day();
            rng.range((base * 3 / 4) as i64, (base * 5 / 4) as i64) as u64
        })
        .collect();
    let total: u64 = open.iter().sum();
    let cap = (episodes / 10).max(sites.len() as u64);
    if total > cap {
        for n in &mut open {
            *n = (*n * cap / total).max(1);
        }
    }
    open
}

pub fn shape(seed: u64, people: u64, episodes: u64, sites: &[Site]) -> Shape {
    let mut rng = Rng::for_item(seed, super::stream::SHAPE, 0);
    let mut counts: Vec<u8> = (0..people).map(|_| draw_count(&mut rng) as u8).collect();
    adjust(&mut counts, episodes, &mut rng);
    let open_per_site = open_per_site(sites, episodes, &mut rng);
    // By the evening a site has closed about as many as it still has open; the past holds
    // none of today's, so the day looks the same at any size of database.
    let slots: u64 = 2 * open_per_site.iter().sum::<u64>();
    let mut today = HashMap::new();
    let mut site = open_per_site
        .iter()
        .enumerate()
        .flat_map(|(i, n)| (0..*n).map(move |_| Today::Open(i)))
        .chain(
            open_per_site
                .iter()
                .enumerate()
                .flat_map(|(i, n)| (0..*n).map(move |_| Today::ClosedEarlier(i))),
        );
    // Distinct people; with fewer people than slots, the spare slots go unfilled.
    let mut tries = 0;
    while (today.len() as u64) < slots.min(people) && tries < slots * 100 {
        tries += 1;
        let person = rng.below(people);
        if !today.contains_key(&person)
            && let Some(s) = site.next()
        {
            today.insert(person, s);
        }
    }
    let mut open_per_site = vec![0; sites.len()];
    for seen in today.values() {
        if let Today::Open(s) = seen {
            open_per_site[*s] += 1;
        }
    }
    Shape {
        counts,
        today,
        open_per_site,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_to_the_episodes_asked_for() {
        for (people, episodes) in [(1_000, 2_000), (500, 500), (200, 10_000), (3, 150)] {
            let mut rng = Rng::new(9);
            let mut counts: Vec<u8> = (0..people).map(|_| draw_count(&mut rng) as u8).collect();
            adjust(&mut counts, episodes, &mut rng);
            assert_eq!(counts.iter().map(|c| u64::from(*c)).sum::<u64>(), episodes);
            assert!(counts.iter().all(|c| (1..=MAX_EPISODES).contains(&u64::from(*c))));
        }
    }

    #[test]
    fn most_people_have_one_to_three_episodes_and_some_many() {
        let mut rng = Rng::new(3);
        let mut counts: Vec<u8> = (0..100_000).map(|_| draw_count(&mut rng) as u8).collect();
        adjust(&mut counts, 200_000, &mut rng);
        let few = counts.iter().filter(|c| **c <= 3).count();
        assert!(few > 85_000, "{few}");
        assert!(counts.iter().any(|c| u64::from(*c) == MAX_EPISODES));
    }
}
