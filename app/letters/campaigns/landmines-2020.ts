// The letter content of the first campaign, drawn from the 2020 policy memo of the
// U.S. Campaign to Ban Landmines – U.S. Cluster Munition Coalition. Facts come from
// the memo; the wording is our own and deliberately varied (see types.ts).
//
// Not server-only: the campaign page's form reads `points` to draw its checkboxes.

import type { LetterTemplate } from "./types";

export const landmines2020 = {
  key: "landmines-2020",
  title: "Ban landmines and cluster munitions",
  summary:
    "Ask the President and your members of Congress to end U.S. use of antipersonnel landmines and cluster munitions and to join the treaties that ban them.",
  caseSummary: [
    "Antipersonnel landmines and cluster munitions go on killing and maiming civilians for decades after a war ends. Most of the world has outlawed them: 164 countries, every other NATO member among them, belong to the Mine Ban Treaty, and 110 to the Convention on Cluster Munitions. The United States has joined neither.",
    "In practice our country has largely given these weapons up. Its forces have laid no antipersonnel mines since 1991, one munition in 2002 aside, and have fired cluster munitions on any scale only as recently as Iraq in 2003. Yet the landmine policy announced in January 2020 allows mines to be used anywhere in the world, and a 2008 pledge to retire the least reliable cluster munitions was dropped in 2017.",
    "This campaign asks the President to ban these weapons and declare the intent to join both treaties, asks senators to give their advice and consent, and asks representatives to keep funding the mine clearance and survivor assistance the United States already leads.",
  ].join("\n\n"),

  points: [
    {
      key: "ban",
      label: "Ban landmines and cluster munitions: no use, production or transfer",
      summary:
        "A White House commitment that the United States will not use, make, sell or hand over antipersonnel mines or cluster munitions to anyone.",
    },
    {
      key: "accede",
      label: "Join the Mine Ban Treaty and the Convention on Cluster Munitions",
      summary:
        "Declare the intent to accede within 100 days, clear the remaining obstacles, and take part in both treaties' meetings.",
    },
    {
      key: "stockpiles",
      label: "Destroy the stockpiles on a faster, public timeline",
      summary: "Concrete plans for destroying stored landmines and cluster munitions, with public progress reports.",
    },
    {
      key: "mine-action",
      label: "Keep growing funding for mine clearance and survivors",
      summary:
        "The United States is the largest supporter of humanitarian mine action (more than $220 million in 2019); that support should keep growing.",
    },
  ],

  facts: [
    {
      key: "mine-record",
      variants: [
        "It has been three decades since the United States relied on antipersonnel landmines: the last use was in 1991 (one munition in 2002 aside), the last export in 1992 and the last production in 1997.",
        "Our country already lives without these mines: except for one munition used in 2002, American forces have not laid an antipersonnel mine since 1991, the last export was in 1992 and the last production in 1997.",
        "For three decades the U.S. has done without antipersonnel mines in practice, with no use since 1991 save one munition in 2002, no exports since 1992 and no new production since 1997.",
      ],
    },
    {
      key: "policy-2020",
      variants: [
        "In January 2020 a new landmine policy was announced that allows American forces to use these mines anywhere in the world, which puts us at odds with our allies.",
        "The landmine policy announced in January 2020 was a step backwards: it permits U.S. use of mines anywhere in the world and sets our country apart from nearly all of its partners.",
        "Since January 2020, official policy has allowed landmines to be used anywhere on earth, a break with our allies and with the rest of the world.",
      ],
    },
    {
      key: "indiscriminate",
      variants: [
        "However modern the design, a mine is set off by its victim; it cannot tell a soldier from a farmer or a child.",
        'Decades of work on "safer" landmines have not changed what they are: weapons triggered by whoever steps on them, combatant or civilian.',
        "A mine does not know when a war is over or who is walking past, which is why no engineering has made these weapons fit the laws of war.",
      ],
    },
    {
      key: "recent-users",
      variants: [
        "In the past five years, the only governments known to have laid antipersonnel mines were those of Syria, Myanmar and North Korea.",
        "The governments that still used antipersonnel mines in recent years were Syria, Myanmar and North Korea. I do not want my country counted among them.",
      ],
    },
    {
      key: "cluster-record",
      variants: [
        "U.S. forces last used cluster munitions on a large scale in Iraq in 2003, where duds killed civilians and American service members; the one known use since then was an attack in Yemen in December 2009.",
        "Apart from one attack in Yemen in December 2009, American forces have fired no cluster munitions since the 2003 invasion of Iraq, where their high failure rate cost the lives of civilians and of our own troops.",
        "Our forces have not relied on cluster munitions since Iraq in 2003, a use remembered for unexploded submunitions that killed civilians and U.S. soldiers, save for a single strike in Yemen in 2009.",
      ],
    },
    {
      key: "cluster-production",
      variants: [
        "No American company makes cluster munitions any more; the last one announced in 2016 that it was stopping.",
        "U.S. production has already ended: the last domestic maker of cluster munitions left the business in 2016.",
      ],
    },
    {
      key: "one-percent",
      variants: [
        "In 2008 the United States promised that, by the end of 2018, it would stop using cluster munitions that fail more than 1% of the time. In 2017 that promise was dropped.",
        "A 2008 pledge to give up cluster munitions leaving more than 1% of their submunitions unexploded was due to take effect in 2018; it was abandoned in 2017 instead.",
        "I was dismayed to learn that the 2008 commitment to retire cluster munitions with a failure rate above 1% was thrown out in 2017, just before it was due to take effect.",
      ],
    },
    {
      key: "treaty-members",
      point: "accede",
      variants: [
        "The Mine Ban Treaty now has 164 states parties, including every other member of NATO, and the Convention on Cluster Munitions has 110.",
        "Every NATO ally but us is among the 164 states parties to the Mine Ban Treaty, and 110 countries have joined the Convention on Cluster Munitions.",
        "We stand outside two treaties most of the world has joined: 164 countries are party to the Mine Ban Treaty and 110 to the Convention on Cluster Munitions.",
      ],
    },
    {
      key: "mine-action-funding",
      point: "mine-action",
      variants: [
        "Our country leads the world in paying for mine clearance, stockpile destruction, risk education and help for survivors: more than $220 million in 2019.",
        "In 2019 the United States put more than $220 million into humanitarian mine action, more than any other country.",
        "U.S. support for clearing mines, teaching communities about the danger and helping survivors passed $220 million in 2019, and it is something to be proud of.",
      ],
    },
  ],

  factLeadIns: [
    "",
    "",
    "Some facts stay with me.",
    "Here is what I have learned about where things stand.",
    "It helps to look at the record.",
  ],

  subjects: {
    president: [
      "Please end U.S. use of landmines and cluster munitions",
      "A request for the next 100 days: landmines and cluster munitions",
      "From {place}: put landmines and cluster munitions behind us",
      "Landmines and cluster munitions: time for the United States to change course",
      "Bring our landmine and cluster munition policy in line with our allies",
      "A citizen's letter on landmines and cluster munitions",
      "A letter from {city} about landmines and cluster munitions",
      "Please reverse course on landmines",
    ],
    senator: [
      "A constituent asks: help end U.S. landmine and cluster munition use",
      "From a constituent in {city}: landmines and cluster munitions",
      "Landmines and cluster munitions: please act",
      "Please help the U.S. turn away from landmines and cluster munitions",
      "A {state} constituent on landmines and cluster munitions",
      "Where do you stand on landmines and cluster munitions?",
      "Our allies have banned landmines and cluster munitions. We should too.",
      "Landmines and cluster munitions have no place in our arsenal",
    ],
    house: [
      "A constituent's letter on landmines and cluster munitions",
      "From your district ({city}): landmines and cluster munitions",
      "Please help end U.S. reliance on landmines and cluster munitions",
      "Landmines and cluster munitions: a request from your district",
      "Where do you stand on landmines and cluster munitions?",
      "{city} resident asks for action on landmines and cluster munitions",
      "Our allies have banned landmines and cluster munitions. We should too.",
      "It is time to leave landmines and cluster munitions behind",
    ],
  },

  openings: {
    president: [
      "I live in {place}, and I am writing to ask you to change course on landmines and cluster munitions early in your term.",
      "As a resident of {place}, I am asking you to put the United States on the side of the worldwide ban on antipersonnel landmines and cluster munitions.",
      "I am writing to you from {place}, about weapons that keep killing and maiming civilians for decades after a war ends: antipersonnel landmines and cluster munitions.",
      "I live in {place}. I believe the United States should stop holding on to antipersonnel landmines and cluster munitions, and you have the power to change that.",
      "Writing from {place}, I want to ask you for a clear break with the landmine and cluster munition policies of recent years.",
      "Few causes have united the world the way the ban on landmines has. I live in {place}, and I would like my country to finally stand with that consensus.",
    ],
    senator: [
      "I live in {place}, in your state, and I am writing about two weapons that keep killing long after the fighting stops: antipersonnel landmines and cluster munitions.",
      "As someone who lives in {place}, in your state, I am asking you to help the United States give up antipersonnel landmines and cluster munitions for good.",
      "I am your constituent (I live in {place}, in your state), and I care about what our country does about landmines and cluster munitions.",
      "I am writing from {place}, in your state, to ask you to use your seat in the Senate to move our country away from landmines and cluster munitions.",
      "I live in {place}, in your state. Landmines and cluster munitions keep maiming people long after the wars they were used in are over, and I believe the United States should stop keeping them in reserve.",
      "Few causes have united the world the way the ban on landmines has. I live in {place}, in your state, and I would like the United States to finally stand with that consensus.",
    ],
    house: [
      "I live in {place}, in your district, and I am writing about two weapons that keep killing long after the fighting stops: antipersonnel landmines and cluster munitions.",
      "As someone who lives in {place}, in your district, I am asking you to help the United States give up antipersonnel landmines and cluster munitions for good.",
      "I am your constituent (I live in {place}, in your district), and I care about what our country does about landmines and cluster munitions.",
      "I am writing from {place}, in your district, to ask you to use your voice in the House to move our country away from landmines and cluster munitions.",
      "I live in {place}, in your district. Landmines and cluster munitions keep maiming people long after the wars they were used in are over, and I believe the United States should stop keeping them in reserve.",
      "Few causes have united the world the way the ban on landmines has. I live in {place}, in your district, and I would like the United States to finally stand with that consensus.",
    ],
  },

  asks: {
    ban: {
      president: [
        "Please issue a clear policy commitment that the United States will not use, produce or transfer antipersonnel landmines or cluster munitions, and that it will not sell or hand over either weapon to any other government or partner force.",
        "I ask you to commit the United States, as a matter of White House policy, never again to use, make or transfer antipersonnel mines and cluster munitions, and to supply them to no government or partner, allies included.",
        "Please announce, early and plainly, that our country will no longer use, produce, sell or transfer antipersonnel landmines and cluster munitions. Our practice has moved that way for decades; the policy should say so.",
      ],
      senator: [
        "Please press the administration to commit that the United States will not use, produce or transfer antipersonnel landmines or cluster munitions, and speak up for that commitment in the Senate.",
        "I hope you will urge the White House to rule out the use, production and transfer of these weapons, and support measures in the Senate that do the same.",
        "Our practice already comes close to a ban. I ask you to call on the administration to make it official policy: no use, no production and no transfer of antipersonnel mines or cluster munitions.",
      ],
      house: [
        "Please support legislation and resolutions in the House that oppose the use and transfer of antipersonnel landmines and cluster munitions, and press the administration to adopt a policy against using, producing or transferring them.",
        "I ask you to back House measures against the use and transfer of these weapons, and to call on the White House to commit to a complete halt.",
        "Please add your voice to those in Congress asking the administration to end the use, production and transfer of antipersonnel mines and cluster munitions, and support any bill or resolution that moves us there.",
      ],
    },
    accede: {
      president: [
        "Within the next 100 days, please declare that the United States intends to accede to the Mine Ban Treaty and the Convention on Cluster Munitions. A thorough review of our landmine and cluster munition policies can then find and remove whatever obstacles remain, and meanwhile our diplomats should take part in the regular meetings of both treaties.",
        "I ask you to declare, within the next 100 days, the intent to accede to both the Mine Ban Treaty and the Convention on Cluster Munitions; to order a comprehensive review of the obstacles that remain; and to send U.S. representatives to the treaties' meetings.",
        "Please use the next 100 days to declare that our country will accede to the Mine Ban Treaty and the Convention on Cluster Munitions. Start the policy review needed to overcome any obstacles, and have the United States attend the treaties' meetings instead of watching from outside.",
      ],
      senator: [
        "When accession to the Mine Ban Treaty and the Convention on Cluster Munitions comes before the Senate, please give it your advice and consent, and in the meantime encourage the administration to send both treaties to you.",
        "Treaties need the Senate. I ask you to support advice and consent to U.S. accession to the Mine Ban Treaty and the Convention on Cluster Munitions, and to urge the administration to declare its intent to accede.",
        "I hope you will be ready to give your advice and consent to accession to both the Mine Ban Treaty and the Convention on Cluster Munitions, and that you will press the administration to begin that process within the next 100 days.",
      ],
      house: [
        "Please urge the administration to declare its intent to accede to the Mine Ban Treaty and the Convention on Cluster Munitions, and support resolutions in the House that call for it.",
        "Although treaties go to the Senate, the House's voice matters. I ask you to press the White House to begin accession to the Mine Ban Treaty and the Convention on Cluster Munitions, and to back any resolution that encourages it.",
        "Please call on the administration to review what still stands in the way of joining the Mine Ban Treaty and the Convention on Cluster Munitions, and to declare that the United States will accede.",
      ],
    },
    stockpiles: {
      president: [
        "Please publish an accelerated timeline for destroying our stockpiles of landmines and cluster munitions, with concrete plans and regular public reports on progress.",
        "Weapons kept in storage can always be used again. I ask you to set out a faster, public timeline for destroying U.S. stocks of landmines and cluster munitions, and to report openly as the work goes on.",
        "I also ask for an accelerated timeline to destroy the stockpiled landmines and cluster munitions, backed by concrete plans and public reporting so that citizens can follow the progress.",
      ],
      senator: [
        "Please support Senate oversight of an accelerated timeline for destroying U.S. stockpiles of landmines and cluster munitions, including regular public reports.",
        "I ask you to press for a public, accelerated timeline to destroy our stocks of these weapons, and to use the Senate's oversight role to make sure it is kept.",
        "Stockpiles are the weapons of tomorrow's wars. Please back hearings and reporting requirements that hold the administration to a faster timeline for destroying them.",
      ],
      house: [
        "Please use the House's oversight power to ask for an accelerated, public timeline for destroying U.S. stockpiles of landmines and cluster munitions.",
        "I ask you to support reporting requirements that put the destruction of our landmine and cluster munition stocks on a faster, public timeline.",
        "Weapons kept in storage can always be used again. Please press the administration for a concrete timeline to destroy the stockpiles, with public reports on progress.",
      ],
    },
    "mine-action": {
      president: [
        "Please keep growing U.S. support for humanitarian mine action (clearance, risk education and help for survivors) in your budget requests.",
        "I hope your budgets will continue to increase funding for humanitarian mine action, one of the things our country does best.",
        "Please make sure the United States remains the leading supporter of humanitarian mine action in the world, and that its funding grows every year.",
      ],
      senator: [
        "Please support continued growth in humanitarian mine action funding when the Senate takes up appropriations.",
        "I ask you to keep supporting, and increasing, appropriations for humanitarian mine action; the funding clears land that families can farm again.",
        "When appropriations bills come before you, please protect and grow the funding for humanitarian mine action.",
      ],
      house: [
        "In appropriations, please keep growing the funding for humanitarian mine action, so that clearance teams and survivor programs can do more each year.",
        "I ask you to support increased humanitarian mine action funding in the House's appropriations bills.",
        "Please protect and grow humanitarian mine action funding when the House writes its appropriations bills; it saves lives and gives land back to the people who live on it.",
      ],
    },
  },

  coreAsks: {
    president: [
      "Please issue a White House commitment that the United States will not use, make or transfer antipersonnel landmines or cluster munitions, and declare within the next 100 days that we intend to accede to the Mine Ban Treaty and the Convention on Cluster Munitions.",
      "I ask you to rule out the use, production and transfer of these weapons as a matter of policy, and to declare within the next 100 days the intent to accede to the treaties that ban them.",
    ],
    senator: [
      "Please press the administration to end U.S. reliance on these weapons, and be ready to give your advice and consent when accession to the Mine Ban Treaty and the Convention on Cluster Munitions reaches the Senate.",
      "I ask you to urge the White House to change course, and to support advice and consent to accession to the Mine Ban Treaty and the Convention on Cluster Munitions.",
    ],
    house: [
      "Please press the administration to change course on these weapons, and keep growing humanitarian mine action funding through the appropriations process.",
      "I ask you to call on the White House to give up these weapons, and to support steady growth in the funding for humanitarian mine action.",
    ],
  },

  closingParagraphs: {
    president: [
      "Thank you for reading my letter. These are decisions a president can make quickly, and I hope you will make them.",
      "Thank you for your time. I hope to see the United States stand with its allies on this before long.",
      "I know how many letters reach the White House, and I am grateful for your attention to this one.",
      "Thank you for considering my request.",
    ],
    senator: [
      "Thank you for reading my letter. I would be glad to hear where you stand.",
      "Thank you for your time and for considering my request. I look forward to your reply.",
      "I know your office receives many letters, and I am grateful for your attention to this one.",
      "I would appreciate a reply telling me what you intend to do on this issue. Thank you.",
    ],
    house: [
      "Thank you for reading my letter. I would be glad to hear where you stand.",
      "Thank you for your time and for considering my request. I look forward to your reply.",
      "I know your office receives many letters, and I am grateful for your attention to this one.",
      "I would appreciate a reply telling me what you intend to do on this issue. Thank you.",
    ],
  },

  signOffs: [
    "Sincerely,",
    "Respectfully,",
    "Yours sincerely,",
    "With thanks,",
    "Respectfully yours,",
    "Sincerely yours,",
  ],
} satisfies LetterTemplate;
