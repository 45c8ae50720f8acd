//! Names for synthetic people: common given names for both sexes and family names found in a
//! London borough, including the apostrophes, hyphens and accents the name search must
//! forgive. Any resemblance of a combination to a real person is chance; the NHS numbers
//! (never-issued 999 range) are what mark a record as synthetic.

#[rustfmt::skip]
pub const MALE: &[&str] = &[
    "Aaron", "Abdi", "Abdullah", "Adam", "Adrian", "Ahmed", "Aidan", "Alan", "Aleksander", "Alex",
    "Ali", "Amir", "Andrei", "Andrew", "Anthony", "Arjun", "Arthur", "Ashley", "Ayaan", "Barry",
    "Ben", "Bilal", "Bogdan", "Bradley", "Brandon", "Callum", "Carl", "Charlie", "Chidi", "Chris",
    "Christopher", "Ciaran", "Colin", "Connor", "Craig", "Damian", "Daniel", "Darius", "Darren",
    "David", "Dean", "Declan", "Dominic", "Dwayne", "Dylan", "Edward", "Elijah", "Emeka", "Eoin",
    "Ethan", "Faisal", "Farhan", "Finley", "Gareth", "Gary", "George", "Grzegorz", "Hamza",
    "Harry", "Harvey", "Hassan", "Ibrahim", "Idris", "Imran", "Ionut", "Isaac", "Ivan", "Jack",
    "Jacob", "Jake", "Jamal", "James", "Jamie", "Jason", "Jayden", "Jermaine", "Joel", "John",
    "Jordan", "José", "Joseph", "Joshua", "Jude", "Kamal", "Karim", "Kayden", "Keith", "Kelvin",
    "Kevin", "Kieran", "Kofi", "Krzysztof", "Kwame", "Lee", "Leon", "Lewis", "Liam", "Louis",
    "Lucas", "Luke", "Marcus", "Mark", "Martin", "Mason", "Matthew", "Michael", "Mihai", "Mo",
    "Mohamed", "Mohammed", "Muhammad", "Nathan", "Neil", "Nicholas", "Nikhil", "Noah", "Oliver",
    "Omar", "Oscar", "Patrick", "Paul", "Pawel", "Peter", "Piotr", "Rahul", "Rashid", "Reece",
    "Richard", "Robert", "Ryan", "Sam", "Samuel", "Scott", "Sean", "Shane", "Simon", "Stefan",
    "Stephen", "Steven", "Suleiman", "Terrence", "Thomas", "Tobi", "Tom", "Tony", "Troy", "Tyler",
    "Tyrone", "Usman", "Vikram", "Wayne", "William", "Yusuf", "Zain", "Zak",
];

#[rustfmt::skip]
pub const FEMALE: &[&str] = &[
    "Aaliyah", "Abigail", "Adaeze", "Agnieszka", "Aisha", "Alesha", "Alice", "Alicia", "Amara",
    "Amber", "Amelia", "Amina", "Amy", "Ana", "Andreea", "Angela", "Anna", "Anya", "Ayesha",
    "Beatriz", "Bethany", "Bianca", "Bronwen", "Caitlin", "Carla", "Caroline", "Cassandra",
    "Chantelle", "Charlotte", "Chelsea", "Chloe", "Claire", "Courtney", "Daniela", "Danielle",
    "Deborah", "Demi", "Diana", "Ebony", "Elena", "Eleanor", "Elif", "Ella", "Emily", "Emma",
    "Erin", "Esther", "Fatima", "Fiona", "Funmi", "Gemma", "Georgia", "Grace", "Hannah", "Hayley",
    "Holly", "Imani", "Ioana", "Isabel", "Jade", "Jasmine", "Jennifer", "Jess", "Jessica", "Joanne",
    "Julia", "Karen", "Katarzyna", "Kate", "Katie", "Kayleigh", "Keisha", "Kelly", "Kerry",
    "Khadija", "Kirsty", "Lacey", "Laura", "Lauren", "Leah", "Leanne", "Lily", "Lisa", "Louise",
    "Lucy", "Maria", "Marta", "Maryam", "Megan", "Mia", "Michelle", "Mina", "Molly", "Monika",
    "Nadia", "Naomi", "Natalie", "Natasha", "Nicola", "Nikita", "Niamh", "Olivia", "Paige",
    "Patricia", "Precious", "Priya", "Rachel", "Rebecca", "Rhiannon", "Roisin", "Rosa", "Ruby",
    "Ruth", "Sadia", "Samantha", "Sana", "Sarah", "Shannon", "Sharon", "Shauna", "Simone",
    "Siobhan", "Sophie", "Stacey", "Stephanie", "Tanisha", "Tara", "Tasha", "Teresa", "Tia",
    "Toni", "Tracey", "Victoria", "Wiktoria", "Yasmin", "Yetunde", "Zainab", "Zara", "Zoë", "Zofia",
    "Adwoa", "Blessing", "Carmen", "Dorota", "Ewa", "Farida", "Gabriela", "Habiba", "Iqra", "Jolanta",
];

#[rustfmt::skip]
pub const FAMILY: &[&str] = &[
    "Abbott", "Abdi", "Abdullahi", "Adams", "Adebayo", "Adeyemi", "Ahmed", "Akhtar", "Ali",
    "Allen", "Anderson", "Appiah", "Armstrong", "Ashworth", "Asante", "Atkinson", "Bailey",
    "Baker", "Banerjee", "Barker", "Barnes", "Begum", "Bell", "Bennett", "Bhatt", "Bibi", "Bishop",
    "Boateng", "Bond", "Bowen", "Boyle", "Bradley", "Brennan", "Brooks", "Brown", "Burke",
    "Butler", "Byrne", "Campbell", "Carter", "Chapman", "Chaudhry", "Clarke", "Cohen", "Cole",
    "Collins", "Connolly", "Cook", "Cooper", "Costa", "Cox", "Cunningham", "Da Silva", "Davies",
    "Dawson", "Dhillon", "Dixon", "Doherty", "Douglas", "Doyle", "Duffy", "Dumitru", "Edwards",
    "Ellis", "Evans", "Farah", "Farrell", "Ferguson", "Ferreira", "Fernandes", "Fisher", "Fleming",
    "Fletcher", "Foster", "Fox", "Francis", "Gallagher", "Garcia", "Gill", "Gomes", "Gordon",
    "Graham", "Grant", "Gray", "Green", "Griffiths", "Gupta", "Hall", "Hamilton", "Harris",
    "Harrison", "Hart", "Hassan", "Hayes", "Henry", "Hill", "Holmes", "Hossain", "Howard",
    "Hughes", "Hunt", "Hussain", "Ibrahim", "Islam", "Jackson", "James", "Jenkins", "Johnson",
    "Jones", "Joseph", "Kaur", "Kavanagh", "Kelly", "Kennedy", "Khan", "King", "Kowalczyk",
    "Kowalski", "Kumar", "Lewandowski", "Lewis", "Lloyd", "Lopes", "Lynch", "Mahmood", "Malik",
    "Marshall", "Martin", "Martins", "Mason", "Matthews", "McCarthy", "McDonald", "McGrath",
    "McLaughlin", "Mensah", "Miller", "Mills", "Mistry", "Mitchell", "Mohamed", "Mohammed",
    "Moore", "Morgan", "Morris", "Murphy", "Murray", "Nowak", "Nunes", "Nwosu", "O'Brien",
    "O'Connor", "O'Neill", "O'Sullivan", "Obi", "Odhiambo", "Okafor", "Okeke", "Oliveira",
    "Omar", "Osei", "Owen", "Owusu", "Palmer", "Parker", "Parry", "Patel", "Pearson", "Pereira",
    "Perry", "Phillips", "Popa", "Popescu", "Powell", "Price", "Quinn", "Rahman", "Ramos", "Reid",
    "Reynolds", "Richards", "Richardson", "Riley", "Roberts", "Robinson", "Rodrigues", "Rogers",
    "Rose", "Ross", "Russell", "Ryan", "Santos", "Saunders", "Scott", "Shah", "Sharma", "Shaw",
    "Silva", "Simpson", "Singh", "Smith", "Sousa", "Spencer", "Stanciu", "Stevens", "Stewart",
    "Sullivan", "Sutton", "Szymański", "Taylor", "Thomas", "Thompson", "Tucker", "Turner",
    "Twumasi", "Ugwu", "Usman", "Vasquez", "Walker", "Walsh", "Ward", "Warsame", "Watson", "Webb",
    "Wells", "West", "White", "Wilkinson", "Williams", "Wilson", "Wiśniewski", "Wood", "Wright",
    "Yeboah", "Young", "Yusuf", "Zielinski", "Ó Briain", "Smith-Jones", "Brown-Bailey",
    "Ahmed-Khan", "Van der Berg", "St. John", "Le Roux", "Núñez", "Müller", "Çelik", "Yılmaz",
    "Abubakar", "Bello", "Chowdhury", "Dlamini", "Egan", "Fofana", "Haque", "Iqbal", "Juma", "Kamara",
    "Lungu", "Nnamdi",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::person::name_key;

    #[test]
    fn there_are_a_few_hundred_names_each_with_a_key() {
        assert!(
            MALE.len() >= 150 && FEMALE.len() >= 150,
            "{} {}",
            MALE.len(),
            FEMALE.len()
        );
        assert!(FAMILY.len() >= 250, "{}", FAMILY.len());
        for name in MALE.iter().chain(FEMALE).chain(FAMILY) {
            assert!(!name_key(name).is_empty(), "{name}");
            assert_eq!(name.trim(), *name);
        }
    }
}
