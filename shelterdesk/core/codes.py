"""Every code list of DOMAIN.md, the single source for the database's code
tables, the UI's pick lists, the ledger import and the reports.

Codes are stable English identifiers and are what the database stores; labels
are English msgids (translated to Japanese by the catalog). ``ja_label`` keeps
the Japanese label of DOMAIN.md verbatim, because the ledger import accepts it
whatever language the UI is in. Never rename or reuse a code once shipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from shelterdesk.i18n import N_, _


@dataclass(frozen=True)
class Code:
    code: str
    label: str  # English msgid
    ja_label: str

    def display(self) -> str:
        return _(self.label)


@dataclass(frozen=True)
class CodeList:
    name: str
    codes: tuple[Code, ...]

    def __iter__(self):
        return iter(self.codes)

    def __contains__(self, code: object) -> bool:
        return any(c.code == code for c in self.codes)

    def get(self, code: str) -> Code | None:
        return next((c for c in self.codes if c.code == code), None)

    def label(self, code: str | None) -> str:
        c = self.get(code) if code else None
        return c.display() if c else (code or "")

    def from_code_or_label(self, text: str) -> str | None:
        """The code for ``text`` given as a code, its Japanese label or its
        English label (the ledger import accepts all three); None if none matches."""
        t = text.strip()
        for c in self.codes:
            if t in (c.code, c.ja_label, c.label) or t.lower() == c.code:
                return c.code
        return None


def _list(name: str, *rows: tuple[str, str, str]) -> CodeList:
    return CodeList(name, tuple(Code(*r) for r in rows))


MAIN_COMPLAINT = _list(
    "main_complaint",
    ("dv_spouse", N_("Violence by husband or partner (DV)"), "夫等の暴力（DV）"),
    ("dating_dv", N_("Dating violence"), "デートDV"),
    ("family", N_("Problems within the family"), "家族間の問題"),
    ("other_violence", N_("Other violence"), "その他の暴力"),
    ("stalking", N_("Stalking"), "ストーカー被害"),
    ("no_home", N_("No place to return to"), "帰住先なし"),
    ("trafficking", N_("Human trafficking"), "人身取引被害"),
    ("other", N_("Other"), "その他"),
)

ISSUE_TAG = _list(
    "issue_tag",
    ("sexual_violence", N_("Sexual violence or exploitation"), "性暴力・性的搾取"),
    ("unplanned_pregnancy", N_("Unplanned pregnancy"), "予期せぬ妊娠"),
    ("poverty", N_("Financial hardship"), "経済的困窮"),
    ("housing", N_("Housing problems"), "住居問題"),
    ("mental_health", N_("Mental health"), "精神的問題"),
    ("illness_disability", N_("Illness or disability"), "病気・障害"),
    ("foreign_language", N_("Foreign nationality or language"), "外国籍・言語"),
    ("young", N_("Young person"), "若年"),
)

ADMISSION_TYPE = _list(
    "admission_type",
    ("temporary_protection", N_("Temporary protection"), "一時保護"),
    ("entrusted_protection", N_("Entrusted temporary protection (private shelter etc.)"),
     "一時保護委託（民間シェルター等）"),
    ("residential", N_("Admission to women's independence support facility"),
     "女性自立支援施設入所"),
    ("other", N_("Other"), "その他"),
)

REFERRAL_SOURCE = _list(
    "referral_source",
    ("self", N_("Herself"), "本人"),
    ("police", N_("Police"), "警察"),
    ("municipality", N_("Municipality (women's support counsellor etc.)"),
     "市町村（女性相談支援員等）"),
    ("welfare_office", N_("Welfare office"), "福祉事務所"),
    ("dv_center", N_("Spousal violence counselling and support centre"),
     "配偶者暴力相談支援センター"),
    ("child_guidance", N_("Child guidance centre"), "児童相談所"),
    ("private_org", N_("Private organisation"), "民間団体"),
    ("medical", N_("Medical institution"), "医療機関"),
    ("other_prefecture", N_("Another prefecture (wide-area)"), "他都道府県（広域）"),
    ("other", N_("Other"), "その他"),
)

DISCHARGE_DESTINATION = _list(
    "discharge_destination",
    ("independent", N_("Independent living (apartment etc.)"), "自立（アパート等）"),
    ("public_housing", N_("Public housing"), "公営住宅"),
    ("relatives", N_("Relatives or acquaintances"), "親族・知人宅"),
    ("returned", N_("Returned home (to husband etc.)"), "帰宅（夫等のもと）"),
    ("mother_child_facility", N_("Mother and child living support facility"),
     "母子生活支援施設"),
    ("women_support_facility", N_("Women's independence support facility"),
     "女性自立支援施設"),
    ("step_house", N_("Private shelter or step house"), "民間シェルター・ステップハウス"),
    ("hospital", N_("Hospital"), "病院"),
    ("welfare_facility", N_("Facility for disabled or elderly people"), "障害者・高齢者施設"),
    ("other_prefecture", N_("Facility in another prefecture"), "他都道府県の施設"),
    ("unknown", N_("Unknown (left without notice etc.)"), "不明（無断退所等）"),
    ("other", N_("Other"), "その他"),
)

PLAN_DOMAIN = _list(
    "plan_domain",
    ("housing", N_("Housing"), "住まい"),
    ("employment", N_("Employment"), "就労"),
    ("income", N_("Financial support (public assistance, child allowance, loans)"),
     "経済的支援（生活保護・児童扶養手当・貸付）"),
    ("legal", N_("Legal procedures (protection order, divorce, support measure)"),
     "法的手続（保護命令・離婚・支援措置）"),
    ("health", N_("Physical and mental health (medical, psychological care)"),
     "心身の健康（医療・心理的ケア）"),
    ("daily_life", N_("Recovering daily life"), "日常生活の回復"),
    ("children", N_("Support for children"), "子どもの支援"),
    ("other", N_("Other"), "その他"),
)

MILESTONE_STATUS = _list(
    "milestone_status",
    ("planned", N_("Planned"), "予定"),
    ("in_progress", N_("In progress"), "実施中"),
    ("done", N_("Done"), "完了"),
    ("dropped", N_("Dropped"), "中止"),
)

CHILD_SUPPORT_KIND = _list(
    "child_support_kind",
    ("childcare", N_("Childcare"), "保育"),
    ("learning", N_("Learning support"), "学習支援"),
    ("schooling", N_("School enrolment or transfer"), "就学・転校手続"),
    ("nursery", N_("Nursery admission"), "保育所入所手続"),
    ("psych_care", N_("Psychological care"), "心のケア"),
    ("child_guidance", N_("Liaison with child guidance centre"), "児童相談所連携"),
    ("health", N_("Health check and medical care"), "健診・医療"),
)

AFTERCARE_KIND = _list(
    "aftercare_kind",
    ("phone", N_("Follow-up phone call"), "電話フォローアップ"),
    ("visit", N_("Visit interview"), "出張面談"),
    ("handover", N_("Handover to municipality etc."), "市町村等への引継ぎ"),
)

AFTERCARE_OUTCOME = _list(
    "aftercare_outcome",
    ("completed", N_("Completed"), "実施"),
    ("not_reached", N_("Not reached"), "不通"),
    ("rescheduled", N_("Rescheduled"), "日程変更"),
    ("needs_support", N_("Needs support"), "要支援"),
    ("declined", N_("Declined by her"), "本人辞退"),
    ("closed", N_("Closed"), "終結"),
)

ROLE = _list(
    "role",
    ("intake", N_("Intake staff"), "受付"),
    ("caseworker", N_("Caseworker"), "支援員"),
    ("manager", N_("Manager"), "施設長"),
    ("admin", N_("Administrator"), "管理者"),
)

#: Who works with what, cumulative as the navigation and her record's tabs are:
#: each set also holds the roles of the sets below it.
EVERYONE = frozenset({"intake", "caseworker", "manager", "admin"})
CASEWORK = frozenset({"caseworker", "manager", "admin"})      # plans, aftercare, case notes
MANAGEMENT = frozenset({"manager", "admin"})                  # reports, the audit log
ADMINISTRATION = frozenset({"admin"})                         # accounts, settings

PROTECTION_ORDER = _list(
    "protection_order",
    ("none", N_("None"), "なし"),
    ("applied", N_("Applied for"), "申立中"),
    ("issued", N_("Issued"), "発令"),
    ("expired", N_("Expired"), "期間満了"),
)

DANGER_LEVEL = _list(
    "danger_level",
    ("high", N_("High"), "高"),
    ("medium", N_("Medium"), "中"),
    ("low", N_("Low"), "低"),
)

SEX = _list(
    "sex",
    ("F", N_("Female"), "女"),
    ("M", N_("Male"), "男"),
)

CONSENT_SCOPE = _list(
    "consent_scope",
    ("municipality_aftercare", N_("Share with municipality for aftercare"),
     "退所後支援のための市町村への情報提供"),
    ("child_guidance", N_("Share with child guidance centre"), "児童相談所への情報提供"),
    ("medical", N_("Share with medical institution"), "医療機関への情報提供"),
    ("welfare_office", N_("Share with welfare office"), "福祉事務所への情報提供"),
    ("other", N_("Other"), "その他"),
)

CASE_NOTE_CATEGORY = _list(
    "case_note_category",
    ("interview", N_("Interview"), "面接"),
    ("daily", N_("Daily life"), "生活"),
    ("health", N_("Health"), "健康"),
    ("legal", N_("Legal"), "法的手続"),
    ("children", N_("Children"), "子ども"),
    ("safety", N_("Safety"), "安全"),
    ("other", N_("Other"), "その他"),
)

#: Every list, keyed by name: the migrations seed the ``code`` table from this.
ALL_LISTS: dict[str, CodeList] = {
    cl.name: cl
    for cl in (
        MAIN_COMPLAINT, ISSUE_TAG, ADMISSION_TYPE, REFERRAL_SOURCE, DISCHARGE_DESTINATION,
        PLAN_DOMAIN, MILESTONE_STATUS, CHILD_SUPPORT_KIND, AFTERCARE_KIND, AFTERCARE_OUTCOME,
        ROLE, PROTECTION_ORDER, DANGER_LEVEL, SEX, CONSENT_SCOPE, CASE_NOTE_CATEGORY,
    )
}
