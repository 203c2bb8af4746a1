/**
 * The evidence behind the advice, as data (`../shared/science.md`, "Sources"): every `because`
 * names one of these keys, `kneecheck sources` prints them and the dashboard's `/sources` page
 * links each one, so a runner can look up what a number rests on.
 */
export interface Source {
  key: string;
  /** A short name people recognise: "Frandsen et al. 2025". */
  short: string;
  /** Full citation. */
  citation: string;
  /** What it found, in one line, with the numbers kneecheck uses. */
  finding: string;
  /** Where to read it (a DOI or a PubMed search of its title); null when there is no public link. */
  link: string | null;
  /** How much weight kneecheck puts on it. */
  strength: string;
}

const pubmed = (title: string) =>
  `https://pubmed.ncbi.nlm.nih.gov/?term=${encodeURIComponent(title)}`;

export const SOURCES: readonly Source[] = [
  {
    key: 'GUIDE-2026',
    short: 'Jones 2026 (runner guide)',
    citation: 'Jones, L. F. "Why do my knees hurt after running?" Run For Health Life, 2026.',
    finding:
      'Mild soreness gone within 24–48 h: keep running, shorter, slower, more rest days. Sharp or constant pain, or a limp: stop until walking, squatting and stairs are pain-free. Pain over a week, swelling, locking, giving way or pain worse despite rest: see a clinician.',
    // science.md: the article of 29 Jan 2026, category "Keep Going".
    link: 'https://runforhealthlife.com',
    strength: 'Expert runner-facing guidance; the product is built on it.',
  },
  {
    key: 'RUNSAFE-2025',
    short: 'Frandsen et al. 2025',
    citation:
      'Frandsen JSB, Nielsen RO, et al. "How much running is too much? Identifying high-risk running sessions in a 5200-person cohort study." Br J Sports Med 2025.',
    finding:
      '5,205 runners, 588,071 sessions: a run more than 10 % longer than the longest of the 30 days before came with 1.64× the injury rate (> 30 %: 1.52×, > 100 %: 2.28×); weekly ratios showed no clear link.',
    link: pubmed('How much running is too much? Identifying high-risk running sessions'),
    strength: 'The largest prospective study; the primary load rule.',
  },
  {
    key: 'NIELSEN-2014',
    short: 'Nielsen et al. 2014',
    citation:
      'Nielsen RO, et al. "Excessive progression in weekly running distance and risk of running-related injuries." J Orthop Sports Phys Ther 2014;44(10):739–747.',
    finding:
      '874 novice runners: weekly progression over 30 % came with more knee overuse injuries (runner’s knee, iliotibial band); the estimate was borderline.',
    link: pubmed(
      'Excessive progression in weekly running distance and risk of running-related injuries',
    ),
    strength: 'Moderate; a supporting signal, never alone a reason to stop.',
  },
  {
    key: 'BUIST-2008',
    short: 'Buist et al. 2008',
    citation:
      'Buist I, et al. "No effect of a graded training program on the number of running-related injuries in novice runners." Am J Sports Med 2008;36(1):33–39.',
    finding:
      'A 10 % per week graded programme did not reduce injuries (about 21 % in both groups): the "10 % rule" is not evidence-based.',
    link: pubmed(
      'No effect of a graded training program on the number of running-related injuries in novice runners',
    ),
    strength: 'Moderate.',
  },
  {
    key: 'GABBETT-2016',
    short: 'Gabbett 2016 and critiques',
    citation:
      'Gabbett TJ. Br J Sports Med 2016;50:273–280; critiques: Lolli L, et al. Br J Sports Med 2019; Impellizzeri FM, et al. Int J Sports Physiol Perform 2020; EWMA: Williams S, et al. Br J Sports Med 2017.',
    finding:
      'Acute:chronic load 0.8–1.3 was called a "sweet spot" and over 1.5 a danger in team sports; later work found no valid basis for predicting injury with it.',
    link: pubmed(
      'The training-injury prevention paradox: should athletes be training smarter and harder',
    ),
    strength: 'Weak for runners: shown as context only.',
  },
  {
    key: 'HEIDERSCHEIT-2011',
    short: 'Heiderscheit et al. 2011',
    citation:
      'Heiderscheit BC, et al. "Effects of step rate manipulation on joint mechanics during running." Med Sci Sports Exerc 2011;43(2):296–302.',
    finding:
      '45 runners at the same speed: +5 % and +10 % step rate reduced the load absorbed at the knee; −10 % increased it.',
    link: 'https://doi.org/10.1249/MSS.0b013e3181ebedf4',
    strength: 'Strong biomechanics; no injury outcome.',
  },
  {
    key: 'LENHART-2014',
    short: 'Lenhart et al. 2014',
    citation:
      'Lenhart RL, et al. "Increasing running step rate reduces patellofemoral joint forces." Med Sci Sports Exerc 2014;46(3):557–564.',
    finding: '+10 % step rate reduced the peak force behind the kneecap by 14 %.',
    link: 'https://doi.org/10.1249/MSS.0b013e3182a78c3a',
    strength: 'Biomechanics.',
  },
  {
    key: 'WILLSON-2014',
    short: 'Willson et al. 2014',
    citation:
      'Willson JD, et al. "Effects of step length on patellofemoral joint stress in female runners with and without patellofemoral pain." Clin Biomech 2014;29:243–247.',
    finding:
      'Steps 10 % longer raised the stress behind the kneecap by 14 % per mile; 10 % shorter lowered it by 7.5 %.',
    link: pubmed('Effects of step length on patellofemoral joint stress in female runners'),
    strength: 'Biomechanics.',
  },
  {
    key: 'PAIN-MONITORING',
    short: 'Silbernagel et al. 2007',
    citation: 'Silbernagel KG, et al. Am J Sports Med 2007 (pain-monitoring model).',
    finding:
      'Pain during activity 0–2/10 is safe, up to 5/10 acceptable, over 5 too much; pain must settle by the next morning and not grow week to week.',
    link: pubmed('Silbernagel continued sports activity using a pain-monitoring model Achilles'),
    strength: 'Moderate, from tendon rehabilitation; consistent with GUIDE-2026.',
  },
  {
    key: 'RED-FLAGS',
    short: 'NHS knee pathways; Bunt et al. 2018',
    citation:
      'NHS Gloucestershire G-care knee pathway; NHS Lothian RefHelp; Bunt CW, Jonas CE, Chang JG. "Knee pain in adults and adolescents: the initial evaluation." Am Fam Physician 2018.',
    finding:
      'Same day: a hot, red knee with fever, cannot bear weight, a locked knee, sudden marked swelling. Within days: giving way, catching, pain at rest or at night.',
    link: pubmed('Knee pain in adults and adolescents: the initial evaluation'),
    strength: 'Clinical pathways.',
  },
  {
    key: 'ESCULIER-2018',
    short: 'Esculier et al. 2018',
    citation: 'Esculier J-F, et al. Br J Sports Med 2018 (randomised trial, patellofemoral pain).',
    finding:
      'Education on managing symptoms and load alone did as well as adding exercises or gait retraining.',
    link: pubmed('Esculier education patellofemoral pain runners randomised'),
    strength: 'Randomised trial: load advice is the backbone, form advice an add-on.',
  },
  {
    key: 'CADENCE-SPEED',
    short: 'VU Amsterdam watch data',
    citation: 'Real-world watch data of 256 Garmin users (VU Amsterdam).',
    finding:
      'Step rate rises with speed, about 150 + 6 × speed (m/s) steps/min across runners, and was not linked with injury: compare a runner with their own line.',
    link: 'https://research.vu.nl/en/publications/inter-individual-differences-in-stride-frequencies-during-running',
    strength: 'Observational; never a warning alone.',
  },
  {
    key: 'kneecheck',
    short: "kneecheck's own choice",
    citation: "kneecheck's own choice.",
    finding:
      'A cut-off no study set (the 3/10 mild-pain line, the 48 h settling edge, the 3 % and 4 % stride cut-offs, the comeback limit, the next-week limit): guidance, not a validated number. Each can be changed with KNEECHECK_THRESHOLDS.',
    link: null,
    strength: 'Convention; labelled so wherever it is used.',
  },
];

/** The source with this key (undefined for an unknown key). */
export const sourceOf = (key: string): Source | undefined => SOURCES.find((s) => s.key === key);
