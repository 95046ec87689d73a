//! The triage tree: short yes/no questions that lead a victim who does not know the words to the
//! right incident type. Loaded from `templates/incidents/triage.toml` (the tree) and the language
//! files' `[triage]` (the questions' words), and checked at load: every question has its words in
//! every language, ids are
//! unique, every answer leads to a known question or an incident type, there are no cycles and no
//! unreachable questions, and every incident type except `other` can be reached.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::bail;
use serde::{Deserialize, Serialize};

use super::{Texts, text};
use crate::{
    domain::IncidentType,
    i18n::{Lang, PerLang},
};

/// Where an answer leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Outcome {
    /// Ask this question next.
    Next(String),
    /// The suggested incident type.
    IncidentType(IncidentType),
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    Yes,
    No,
}

/// A question as `triage.toml` has it: where its answers lead.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionFile {
    id: String,
    yes: Outcome,
    no: Outcome,
}

#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    texts: PerLang<String>,
    pub yes: Outcome,
    pub no: Outcome,
}

impl Question {
    pub fn text(&self, lang: Lang) -> &str {
        self.texts.get(lang)
    }

    pub fn outcome(&self, answer: Answer) -> &Outcome {
        match answer {
            Answer::Yes => &self.yes,
            Answer::No => &self.no,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TreeFile {
    start: String,
    questions: Vec<QuestionFile>,
}

/// One answered question on the way to a suggestion.
pub type PathStep = (String, Answer);

/// Why answers do not lead to a suggestion yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TriageError {
    /// These question ids do not exist.
    UnknownQuestions(Vec<String>),
    /// This question on the path has no answer yet.
    Unanswered(String),
}

#[derive(Debug)]
pub struct TriageTree {
    start: String,
    questions: Vec<Question>,
    index: HashMap<String, usize>,
}

impl TriageTree {
    pub fn parse(text: &str, texts: &Texts) -> anyhow::Result<Self> {
        let file: TreeFile = toml::from_str(text)?;
        let mut index = HashMap::new();
        let mut questions = Vec::with_capacity(file.questions.len());
        for (i, q) in file.questions.into_iter().enumerate() {
            let well_formed = !q.id.is_empty()
                && q.id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !well_formed {
                bail!(
                    "question id {:?} must be lowercase letters, digits and _",
                    q.id
                );
            }
            if index.insert(q.id.clone(), i).is_some() {
                bail!("question id {} is used twice", q.id);
            }
            let words = texts.take(|_, all| match all.triage.get(&q.id) {
                Some(words) if !words.trim().is_empty() => Ok(words.clone()),
                _ => bail!("[triage] {} needs the question's words", q.id),
            })?;
            questions.push(Question {
                id: q.id,
                texts: words,
                yes: q.yes,
                no: q.no,
            });
        }
        let ids: Vec<&str> = questions.iter().map(|q| q.id.as_str()).collect();
        texts.take(|_, all| text::no_strays(&all.triage, &ids, "triage question"))?;
        let tree = Self {
            start: file.start,
            questions,
            index,
        };
        tree.check_structure()?;
        Ok(tree)
    }

    /// Dangling references, cycles, unreachable questions and unreachable incident types.
    fn check_structure(&self) -> anyhow::Result<()> {
        if self.question(&self.start).is_none() {
            bail!("start question {} does not exist", self.start);
        }
        for q in &self.questions {
            for outcome in [&q.yes, &q.no] {
                if let Outcome::Next(next) = outcome
                    && self.question(next).is_none()
                {
                    bail!("question {} leads to unknown question {next}", q.id);
                }
            }
        }
        let leaves = self.walk()?;
        let asked: BTreeSet<&str> = leaves
            .iter()
            .flat_map(|(path, _)| path.iter().map(|(id, _)| id.as_str()))
            .collect();
        if let Some(orphan) = self
            .questions
            .iter()
            .find(|q| !asked.contains(q.id.as_str()))
        {
            bail!(
                "question {} can never be reached from {}",
                orphan.id,
                self.start
            );
        }
        let reached: BTreeSet<IncidentType> = leaves.iter().map(|(_, t)| *t).collect();
        let unreached: Vec<&str> = IncidentType::ALL
            .into_iter()
            .filter(|t| *t != IncidentType::Other && !reached.contains(t))
            .map(IncidentType::as_str)
            .collect();
        if !unreached.is_empty() {
            bail!("no answers lead to {}", unreached.join(", "));
        }
        Ok(())
    }

    /// Every leaf of the tree with the answers that lead there; an error on a cycle.
    pub fn walk(&self) -> anyhow::Result<Vec<(Vec<PathStep>, IncidentType)>> {
        let mut leaves = Vec::new();
        let mut stack = vec![(self.start.clone(), Vec::<PathStep>::new())];
        while let Some((id, path)) = stack.pop() {
            if path.iter().any(|(seen, _)| *seen == id) {
                bail!("the questions form a cycle through {id}");
            }
            let Some(question) = self.question(&id) else {
                bail!("unknown question {id}");
            };
            for answer in [Answer::No, Answer::Yes] {
                let mut path = path.clone();
                path.push((id.clone(), answer));
                match question.outcome(answer) {
                    Outcome::Next(next) => stack.push((next.clone(), path)),
                    Outcome::IncidentType(code) => leaves.push((path, *code)),
                }
            }
        }
        Ok(leaves)
    }

    pub fn start(&self) -> &str {
        &self.start
    }

    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.index.get(id).map(|&i| &self.questions[i])
    }

    /// Follows the answers from the start question to a suggested incident type. Answers to
    /// known questions off the path are ignored (a client may send everything it asked).
    pub fn resolve(
        &self,
        answers: &BTreeMap<String, Answer>,
    ) -> Result<(IncidentType, Vec<PathStep>), TriageError> {
        let unknown: Vec<String> = answers
            .keys()
            .filter(|id| self.question(id).is_none())
            .cloned()
            .collect();
        if !unknown.is_empty() {
            return Err(TriageError::UnknownQuestions(unknown));
        }
        let mut path = Vec::new();
        let mut id = self.start.as_str();
        // The tree has no cycles (checked at load), so every walk ends at a leaf.
        loop {
            let question = self.question(id).expect("the tree was checked at load");
            let Some(&answer) = answers.get(id) else {
                return Err(TriageError::Unanswered(id.to_owned()));
            };
            path.push((id.to_owned(), answer));
            match question.outcome(answer) {
                Outcome::Next(next) => id = next,
                Outcome::IncidentType(code) => return Ok((*code, path)),
            }
        }
    }
}
