"""The two assessment tools, word for word from seed 003 (the council's partnership strategy).

This module is the source of version 1 of each template, loaded by migration
0002. It is history: never edit it. A changed question is a new template
version, made in the administration site.
"""

CHECKLIST_NAME = "Partnership checklist"
CHECKLIST_SOURCE = "Partnership strategy, attached tool 1; based on Audit Commission guidance (“Governing Partnerships”)."
CHECKLIST_USED_WHEN = (
    "When a new partnership is about to be established. It asks a series of questions that "
    "will help in making sure that, for example, appropriate governance arrangements have "
    "been put in place."
)

# (number, title, [(letter, question), ...])
CHECKLIST_SECTIONS = [(1,
  'Rationale for the partnership',
  [('a', 'Why does the partnership exist?'),
   ('b', 'What are its agreed aims?'),
   ('c', 'Where have these been published?'),
   ('d', 'Can we identify a better way of serving the public')]),
 (2,
  'Added value from the partnership',
  [('a', 'How does the partnership add value'),
   ('b', 'How do we demonstrate this added value to the public'),
   ('c', 'How do we know whether funds are being well spent'),
   ('d', 'How does the public know that partnership funds are being well spent')]),
 (3,
  'Governance arrangements',
  [('a',
    "How do our partnership's corporate governance arrangements link to those of individual "
    'partners'),
   ('b', 'How are decisions made'),
   ('c', 'How are they recorded'),
   ('d', 'Who makes sure they are acted on'),
   ('e', 'Who scrutinises them'),
   ('f', 'Who are they reported to')]),
 (4,
  'Performance management',
  [('a',
    'How do we know which partnership targets we are meeting and which we are failing to meet'),
   ('b', 'Who manages and reports progress')]),
 (5,
  'Financial management',
  [('a', 'Who provides the money'),
   ('b', 'Who decides how to spend it'),
   ('c', 'Can the money be reallocated'),
   ('d', 'What are the financial reporting arrangements')]),
 (6,
  'Risk management',
  [('a', 'How do we know when things are going wrong'),
   ('b', 'Who can take action when things go wrong'),
   ('c', 'How do we resolve conflicts of interest')]),
 (7,
  'Termination arrangements',
  [('a', 'What are the arrangements if this partnership comes to an end'),
   ('b', 'Or if we decide not to be involved any longer'),
   ('c', 'How will resources be reallocated back to partners')]),
 (8,
  'Serving the public',
  [('a', 'How effectively does this partnership communicate with the public'),
   ('b', 'How can the public and service users obtain redress when things go wrong'),
   ('c', 'Is there a complaints and suggestions process the public can use')])]

IMPROVEMENT_NAME = "Partnership Improvement Template"
IMPROVEMENT_SOURCE = "Partnership strategy, attached tool 2; based on a good practice tool used by a number of organisations for assessing partnerships."
IMPROVEMENT_USED_WHEN = (
    "To assist in a review of a partnership. It asks a set of questions that provide a "
    "framework for assessing how effective aspects of the partnership are."
)
IMPROVEMENT_SECTION_TITLE = "Area of Practice"

# (area of practice, [bullet points]) in the seed's order
IMPROVEMENT_AREAS = [("Whether there is a 'Lead Officer' or 'Project Sponsor' who has responsibility for the Council's "
  "involvement in the partnership, but who will not necessarily be the Council's representative "
  'within the partnership.',
  []),
 ('The clarity of the purpose of the partnership. There should be a rationale for why a '
  "partnership exists (eg to deliver co-ordinated packages of services, to tackle 'wicked' or "
  'complex issues or to reduce the impact of organisational fragmentation).',
  []),
 ('The legal status of the partnership and whether it is appropriate for the objectives to be '
  'achieved through partnership working.',
  []),
 ("Whether the Council has defined its 'bottom line' in terms of what it wants to obtain from the "
  'partnership for itself and for local people.',
  []),
 ('Clarity on council involvement in the partnership (eg leading or supporting).', []),
 ("Whether there is a plan for how the Council's involvement is supported and managed (eg "
  'reporting arrangements and lines of accountability).',
  []),
 ("'Rules of engagement' (eg whether the Council is simply funding a partnership and has minimal "
  'involvement, or whether it is a full and active partner and is carrying out practical '
  'activities on behalf of the partnership).',
  []),
 ('Whether the rights and responsibilities of members of the partnership have been defined and are '
  'understood.',
  []),
 ('Are decision making arrangements effective?', []),
 ('Whether the partnership is appropriately resourced and whether consideration has been given to '
  'resources that might be made available from sources other than the Council.',
  []),
 ('The effectiveness of performance management arrangements including scrutiny and evaluation.',
  []),
 ('How the partnership is held to account including:',
  ['Accountability between members of the partnership',
   'Accountability back to the organisations involved, including to the Council (Overview and '
   'Scrutiny, Cabinet, Area Forums, Senior Management Team)',
   'Accountability to local people and other stakeholders.']),
 ('Whether there is a plan for the development of the partnership.', []),
 ('The effectiveness of governance arrangements.', [])]
