"""The demo population's past: registrations, contact attempts, consents, and backdated episodes.

Planned per person before the bulk insert, so each person's stored contact state
(failed contacts, unreachable since, last contact, last update) agrees with the
attempts written for them, the way `people.services.contact_record` would leave it.
"""

import datetime
import random

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection
from django.utils import timezone
from stdnum.cn import uscc

from dashboard.demo import people_names as pn
from households.models import ClearReason, Household, ZeroEmploymentEpisode
from households.rules import quarter_end
from keygroups.models import Membership, Rule, Source
from keygroups.rules_engine import retirement_age
from people.choices import (
    FAILED_OUTCOMES,
    WORKING_STATUSES,
    ConsentPurpose,
    ContactChannel,
    ContactOutcome,
    EmploymentStatus,
)
from people.identity import age_on
from people.models import Consent, ContactAttempt
from registrations.models import CloseReason, EmploymentType, Kind, Registration, Status

S = EmploymentStatus
DAY = datetime.timedelta(days=1)
PROFILES_UNEMPLOYED = {"current": 60, "stale": 20, "unreachable": 6, "failing": 7, "none": 7}
PROFILES_OTHERS = {"current": 70, "stale": 14, "unreachable": 2, "failing": 5, "none": 9}


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def bulk_set(model, field_names: list[str], objs) -> None:
    """Write each object's own values for a few columns with one executemany.

    Django's bulk_update builds a CASE per column, which costs seconds for thousands of
    rows; the demo rewrites thousands of dates and must stay quick.
    """
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    sql = f"UPDATE {table} SET {sets} WHERE {pk} = %s"  # noqa: S608 - names from the model, values bound
    rows = [[f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields] + [o.pk] for o in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _org_code(rng: random.Random) -> str:
    """A GB 11714 organisation code (8 digits and a check character)."""
    digits = [rng.randrange(10) for _ in range(8)]
    check = 11 - sum(d * w for d, w in zip(digits, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return "".join(map(str, digits)) + {10: "X", 11: "0"}.get(check, str(check))


class HistoryPlanner:
    def __init__(self, *, rng: random.Random, today: datetime.date, staff: dict, township: dict):
        self.rng = rng
        self.today = today
        self.staff = staff
        self.township = township
        self.credit_codes: dict[str, str] = {}

    def _by(self, member):
        return self.rng.choice(self.staff[member.station])

    def _at(self, day: datetime.date) -> datetime.datetime:
        """A working-hours moment on that day (weekends move back to Friday)."""
        day -= DAY * max(0, day.weekday() - 4)
        minutes = self.rng.randint(9 * 60 + 30, 18 * 60)
        moment = datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60))
        return timezone.make_aware(moment)

    def _ago(self, days: int) -> datetime.date:
        return self.today - DAY * days

    # ----- registrations -------------------------------------------------------------------

    def _registration(self, member, kind: str, on: datetime.date, **values) -> Registration:
        by = self._by(member)
        registration = Registration(
            person=member.person,
            kind=kind,
            unit=self.township[member.station],
            registered_on=on,
            created_by=by,
            **values,
        )
        if registration.status == Status.CLOSED:
            registration.closed_by = by
        return registration

    def _employer(self, member, status: str) -> dict:
        rng = self.rng
        if status == S.SELF_EMPLOYED:
            shop = f"{rng.choice(pn.EMPLOYER_WORDS)}{rng.choice(pn.SHOPS)}"
            return {
                "employment_type": EmploymentType.SELF_EMPLOYED,
                "employer_name": shop,
                "job_title": "个体经营",
            }
        if status == S.FLEXIBLE:
            return {"employment_type": EmploymentType.FLEXIBLE, "job_title": rng.choice(pn.FLEXIBLE_JOBS)}
        if rng.random() < 0.12:
            return {
                "employment_type": EmploymentType.PUBLIC_POST,
                "employer_name": f"{self.township[member.station].name_zh}人民政府",
                "job_title": rng.choice(pn.PUBLIC_POSTS),
            }
        trade, jobs = rng.choice(pn.EMPLOYER_TRADES)
        employer = f"拉萨市{rng.choice(pn.EMPLOYER_WORDS)}{trade}"
        if employer not in self.credit_codes:
            body = f"91{member.station[:6]}{_org_code(rng)}"
            self.credit_codes[employer] = body + uscc.calc_check_digit(body)
        return {
            "employment_type": EmploymentType.EMPLOYEE,
            "employer_name": employer,
            "employer_credit_code": self.credit_codes[employer],
            "job_title": rng.choice(jobs),
        }

    def _registrations(self, member) -> list[Registration]:
        rng, person, today = self.rng, member.person, self.today
        age = age_on(person.birth_date, today)
        status = person.employment_status
        regs: list[Registration] = []
        if status == S.UNEMPLOYED:
            if member.recent_graduate and person.graduation_date:
                since = person.graduation_date + DAY * rng.randint(1, 30)
            else:
                since = self._ago(int(760 * rng.random() ** 1.4) + 5)
            person.unemployed_since = since = min(since, self._ago(2))
            if age < retirement_age(person.sex) and person.able_and_willing and rng.random() < 0.85:
                if not member.recent_graduate and age >= 22 and rng.random() < 0.25:
                    job = self._employer(member, S.EMPLOYED)
                    start = since - DAY * rng.randint(200, min(1500, (age - 18) * 365))
                    closed = {
                        "status": Status.CLOSED,
                        "closed_on": since,
                        "close_reason": CloseReason.LEFT_JOB,
                    }
                    regs.append(self._registration(member, Kind.EMPLOYMENT, start, **job, **closed))
                reason = pn.GRADUATE_REASON if member.recent_graduate else rng.choice(pn.UNEMPLOYMENT_REASONS)
                on = min(since + DAY * rng.randint(0, 45), self._ago(1))
                regs.append(self._registration(member, Kind.UNEMPLOYMENT, on, reason=reason))
        elif status in WORKING_STATUSES:
            share = {S.EMPLOYED: 0.45, S.SELF_EMPLOYED: 0.3, S.FLEXIBLE: 0.2}[status]
            if rng.random() < share:
                on = self._ago(rng.randint(10, max(10, min(1000, (age - 16) * 365))))
                if rng.random() < 0.3:  # found work while registered unemployed
                    reason = CloseReason.SELF_EMPLOYED if status == S.SELF_EMPLOYED else CloseReason.EMPLOYED
                    closed = {"status": Status.CLOSED, "closed_on": on, "close_reason": reason}
                    earlier = on - DAY * rng.randint(30, 400)
                    regs.append(self._registration(member, Kind.UNEMPLOYMENT, earlier, **closed))
                regs.append(self._registration(member, Kind.EMPLOYMENT, on, **self._employer(member, status)))
        elif status == S.STUDENT and age >= 18 and rng.random() < 0.15:
            on = self._ago(rng.randint(200, 700))
            closed_on = min(on + DAY * rng.randint(30, 150), self._ago(1))
            closed = {
                "status": Status.CLOSED,
                "closed_on": closed_on,
                "close_reason": CloseReason.ENTERED_EDUCATION,
            }
            regs.append(self._registration(member, Kind.UNEMPLOYMENT, on, reason="待业", **closed))
        elif status == S.RETIRED and rng.random() < 0.2:
            closed_on = person.birth_date + relativedelta(years=retirement_age(person.sex))
            if self._ago(900) < closed_on < today:
                on = closed_on - DAY * rng.randint(100, 600)
                closed = {
                    "status": Status.CLOSED,
                    "closed_on": closed_on,
                    "close_reason": CloseReason.RETIRED,
                }
                regs.append(self._registration(member, Kind.UNEMPLOYMENT, on, reason="企业关停", **closed))
        return regs

    # ----- contacts ------------------------------------------------------------------------

    def _profile(self, member) -> str:
        unemployed = member.person.employment_status == S.UNEMPLOYED
        return _weighted(self.rng, PROFILES_UNEMPLOYED if unemployed else PROFILES_OTHERS)

    def _ensure(self, members, demo_units: list[str]) -> None:
        """Both demo counsellors' worklists have overdue updates and an unreachable person."""
        for code in demo_units:
            registered = [
                m
                for m in members
                if m.station == code
                and any(
                    r.kind == Kind.UNEMPLOYMENT and r.status == Status.OPEN
                    for r in m.history["registrations"]
                )
            ]
            for profile, wanted in (("stale", 3), ("unreachable", 1)):
                missing = wanted - sum(m.history["profile"] == profile for m in registered)
                for member in [m for m in registered if m.history["profile"] == "current"][: max(0, missing)]:
                    member.history["profile"] = profile

    def _events(self, profile: str) -> list[tuple[int, str]]:
        """(days ago, "updated" | "reached" | "failed") for one person's contact profile."""
        rng = self.rng
        if profile == "none":
            return []
        events = []
        if profile == "unreachable":
            start = rng.randint(20, 120)
            events += [(d, "failed") for d in rng.sample(range(1, start + 1), rng.randint(3, 5))]
            last = start + rng.randint(20, 150)
        elif profile == "failing":
            last = rng.randint(25, 60)
            events += [(d, "failed") for d in rng.sample(range(1, last), rng.randint(1, 2))]
        else:
            last = rng.randint(1, 40) if profile == "current" else rng.randint(65, 200)
            if rng.random() < 0.3:  # a missed call before getting through
                events.append((last + rng.randint(1, 6), "failed"))
        events.append((last, "updated"))
        day = last + 7
        for _ in range(rng.randint(0, 3)):
            day += rng.randint(25, 60)
            events.append((day, _weighted(rng, {"updated": 75, "failed": 20, "reached": 5})))
        return events

    def _contacts(self, member) -> list[ContactAttempt]:
        rng, person = self.rng, member.person
        attempts = []
        for days, kind in self._events(member.history["profile"]):
            channel = (
                person.contact_channel if rng.random() < 0.7 else rng.choice(list(ContactChannel.values))
            )
            if not person.phone and channel not in {ContactChannel.VISIT, ContactChannel.IN_PERSON}:
                channel = ContactChannel.VISIT
            if kind == "failed":
                if channel == ContactChannel.IN_PERSON:
                    channel = ContactChannel.PHONE if person.phone else ContactChannel.VISIT
                if channel == ContactChannel.VISIT:
                    outcome = ContactOutcome.NOT_HOME
                else:
                    outcome = _weighted(rng, {"no_answer": 60, "switched_off": 30, "wrong_number": 10})
                note = pn.NOTES_FAILED[outcome]
            else:
                outcome = ContactOutcome.REACHED if kind == "updated" else ContactOutcome.REFUSED
                note = rng.choice(pn.NOTES_UPDATED[channel]) if kind == "updated" else "本人表示暂不需要服务"
            attempts.append(
                ContactAttempt(
                    person=person,
                    at=self._at(self._ago(days)),
                    channel=channel,
                    outcome=outcome,
                    note=note,
                    info_updated=kind == "updated",
                    by=self._by(member),
                )
            )
        attempts.sort(key=lambda a: a.at)
        self._contact_state(person, attempts)
        return attempts

    def _contact_state(self, person, attempts: list[ContactAttempt]) -> None:
        """What `contact_record` would have left on the person after these attempts."""
        threshold = settings.STANDARD["UNREACHABLE_FAILED_CONTACTS"]
        streak: list[ContactAttempt] = []
        for attempt in reversed(attempts):
            if attempt.outcome not in FAILED_OUTCOMES:
                break
            streak.append(attempt)
        reached = [a for a in attempts if a.outcome not in FAILED_OUTCOMES]
        updated = [a for a in attempts if a.info_updated]
        person.failed_contacts = len(streak)
        person.unreachable_since = streak[-threshold].at if len(streak) >= threshold else None
        person.last_contact_at = reached[-1].at if reached else None
        person.info_updated_on = timezone.localdate(updated[-1].at) if updated else None

    def _propose_closure(self, member) -> None:
        """What the nightly check proposes: open unemployment, no contact for N months."""
        person = member.person
        cutoff = self.today - relativedelta(months=settings.STANDARD["NO_CONTACT_CLOSURE_MONTHS"])
        if person.last_contact_at and timezone.localdate(person.last_contact_at) >= cutoff:
            return
        for registration in member.history["registrations"]:
            if (
                registration.kind == Kind.UNEMPLOYMENT
                and registration.status == Status.OPEN
                and registration.registered_on <= cutoff
            ):
                registration.status = Status.CLOSURE_PROPOSED
                registration.close_reason = CloseReason.NO_CONTACT
                registration.proposed_at = self._at(self._ago(self.rng.randint(1, 20)))

    # ----- consents and the file's opening -------------------------------------------------

    def _opened(self, member, attempts) -> None:
        dates = [r.registered_on for r in member.history["registrations"]]
        dates += [timezone.localdate(a.at) for a in attempts]
        opened = min(dates) - DAY * self.rng.randint(0, 20) if dates else self._ago(self.rng.randint(3, 500))
        opened_at = self._at(opened)
        if attempts and opened_at >= attempts[0].at:  # opened the same day, before the first call
            opened_at = attempts[0].at - datetime.timedelta(minutes=30)
        member.history["opened"] = timezone.localdate(opened_at)
        member.history["opened_at"] = opened_at

    def _consents(self, member) -> list[Consent]:
        rng, given = self.rng, member.history["opened_at"]
        by = member.person.registered_by
        if rng.random() > 0.93:
            return []
        consents = [Consent(person=member.person, purpose=ConsentPurpose.EMPLOYMENT_SERVICE, given_at=given)]
        for purpose, share in (
            (ConsentPurpose.SHARE_WITH_EMPLOYERS, 0.35),
            (ConsentPurpose.NOTIFICATIONS, 0.5),
            (ConsentPurpose.REGIONAL_PLATFORM, 0.2),
        ):
            if rng.random() < share:
                consents.append(Consent(person=member.person, purpose=purpose, given_at=given))
        if len(consents) > 1 and rng.random() < 0.05:
            midnight = timezone.make_aware(datetime.datetime.combine(self.today, datetime.time.min))
            consents[-1].withdrawn_at = max(min(given + DAY * rng.randint(10, 300), midnight), given)
        for consent in consents:
            consent.recorded_by = by
        return consents

    # ----- the whole plan ------------------------------------------------------------------

    def plan(self, members, *, demo_units: list[str]) -> None:
        for member in members:
            member.history["registrations"] = self._registrations(member)
            member.history["profile"] = self._profile(member)
        self._ensure(members, demo_units)
        for member in members:
            attempts = self._contacts(member)
            member.history["contacts"] = attempts
            self._propose_closure(member)
            self._opened(member, attempts)
            member.history["consents"] = self._consents(member)

    def write(self, members) -> dict:
        regs = [r for m in members for r in m.history["registrations"]]
        contacts = [a for m in members for a in m.history["contacts"]]
        consents = [c for m in members for c in m.history["consents"]]
        Registration.objects.bulk_create(regs, batch_size=500)
        ContactAttempt.objects.bulk_create(contacts, batch_size=1000)
        Consent.objects.bulk_create(consents, batch_size=1000)
        return {
            "unemployment_registrations": sum(r.kind == Kind.UNEMPLOYMENT for r in regs),
            "employment_registrations": sum(r.kind == Kind.EMPLOYMENT for r in regs),
            "closed_registrations": sum(r.status == Status.CLOSED for r in regs),
            "contacts": len(contacts),
            "consents": len(consents),
        }


# ----- after the services have derived their state ------------------------------------------


def _quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _backdate_episodes(rng: random.Random, today: datetime.date, plans, demo_units) -> int:
    """Demo history only: recognitions spread over this quarter, a few overdue from the last one.

    The services recognise with today's date; the worklist needs a past to be interesting.
    """
    station = {p.household.pk: p.station for p in plans}
    start = _quarter_start(today)
    previous = _quarter_start(start - DAY)
    episodes = list(
        ZeroEmploymentEpisode.objects.filter(cleared_on__isnull=True)
        .select_related("household")
        .order_by("id")
    )
    seen: dict[str, int] = {}
    overdue = 0
    for episode in episodes:
        code = station.get(episode.household_id, "")
        turn = seen[code] = seen.get(code, -1) + 1
        kind = ["overdue", "earlier", "today"][turn] if code in demo_units and turn < 3 else None
        kind = kind or _weighted(rng, {"overdue": 15, "earlier": 45, "today": 40})
        if kind == "overdue":
            episode.recognised_on = previous + DAY * rng.randrange((start - previous).days)
            overdue += 1
        elif kind == "earlier":
            episode.recognised_on = start + DAY * rng.randrange((today - start).days + 1)
        episode.clearance_due = quarter_end(episode.recognised_on)
        episode.household.recognised_on = episode.recognised_on
        episode.household.clearance_due = episode.clearance_due
    bulk_set(ZeroEmploymentEpisode, ["recognised_on", "clearance_due"], episodes)
    bulk_set(Household, ["recognised_on", "clearance_due"], [e.household for e in episodes])
    return overdue


def _cleared_episodes(rng: random.Random, today: datetime.date, plans) -> int:
    """Demo history only: households that left zero-employment when their one earner found work."""
    episodes, households = [], []
    recent = today - DAY * 200
    for plan in plans:
        working = [m for m in plan.members if m.person.employment_status in WORKING_STATUSES]
        if plan.zero or plan.household.has_business_income or len(working) != 1:
            continue
        jobs = [
            r
            for r in working[0].history["registrations"]
            if r.kind == Kind.EMPLOYMENT and r.status == Status.OPEN and r.registered_on >= recent
        ]
        if not jobs or rng.random() > 0.5:
            continue
        household, job = plan.household, jobs[0]
        household.recognised_on = job.registered_on - DAY * rng.randint(30, 150)
        household.clearance_due = quarter_end(household.recognised_on)
        household.cleared_on = job.registered_on
        episodes.append(
            ZeroEmploymentEpisode(
                household=household,
                recognised_on=household.recognised_on,
                clearance_due=household.clearance_due,
                cleared_on=household.cleared_on,
                clear_reason=ClearReason.EMPLOYED,
                cleared_by=job.created_by,
            )
        )
        households.append(household)
    ZeroEmploymentEpisode.objects.bulk_create(episodes)
    bulk_set(Household, ["recognised_on", "clearance_due", "cleared_on"], households)
    return len(episodes)


def _backdate_memberships(today: datetime.date, members) -> int:
    """Demo history only: a derived membership starts when its reason arose, not on seeding day."""
    by_person = {m.person.pk: m for m in members}
    recognised = dict(Household.objects.filter(zero_employment=True).values_list("id", "recognised_on"))
    rows = list(
        Membership.objects.filter(person_id__in=list(by_person), ended_on__isnull=True, source=Source.DERIVED)
        .select_related("category")
        .order_by("id")
    )
    children: dict[tuple[int, int], list[datetime.date]] = {}
    long_term = settings.STANDARD["LONG_TERM_UNEMPLOYED_MONTHS"]
    for row in rows:
        member = by_person[row.person_id]
        person = member.person
        opened = member.history["opened"]
        registered = [
            r.registered_on
            for r in member.history["registrations"]
            if r.kind == Kind.UNEMPLOYMENT and r.status != Status.CLOSED
        ]
        since = registered[0] if registered else person.unemployed_since or opened
        start = {
            Rule.REGISTERED_UNEMPLOYED: since,
            Rule.LONG_TERM_UNEMPLOYED: since + relativedelta(months=long_term),
            Rule.ZERO_EMPLOYMENT_MEMBER: recognised.get(person.household_id, today),
            Rule.RECENT_GRADUATE: person.graduation_date or opened,
        }.get(row.category.rule, opened)
        row.started_on = min(today, max(start, opened))
        if row.category.parent_id:
            children.setdefault((row.person_id, row.category.parent_id), []).append(row.started_on)
    for row in rows:
        if (row.person_id, row.category_id) in children:
            row.started_on = min(children[(row.person_id, row.category_id)])
    bulk_set(Membership, ["started_on"], rows)
    return len(rows)


def backdate_history(*, rng: random.Random, today: datetime.date, plans, members, demo_units) -> dict:
    overdue = _backdate_episodes(rng, today, plans, demo_units)
    cleared = _cleared_episodes(rng, today, plans)
    memberships = _backdate_memberships(today, members)
    return {
        "overdue_zero_employment": overdue,
        "cleared_episodes": cleared,
        "key_group_memberships": memberships,
    }
