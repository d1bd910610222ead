"""Reference data of the scale set: name pools, partners and their
programmes, conventions and shares, the mentor pools, fresh ids."""

import datetime
from decimal import Decimal

from django.db import connection
from faker import Faker

from duos.models import Gender, Mentor
from programmes.models import ConventionShare, FundingConvention, Partner, Programme

from .weights import CONVENTION_SLUG_PREFIX, PARTNER_SLUG_PREFIX, PROGRAMME_TEMPLATES, UTC, birth_date_for_age
from .writer import TableWriter


class ReferenceData:
    """The part of ``ScaleDataGenerator`` that writes the reference rows."""

    def _name_pools(self):
        fake = self.faker
        self.female_names = [fake.first_name_female() for _ in range(400)]
        self.male_names = [fake.first_name_male() for _ in range(400)]
        self.last_names = [fake.last_name() for _ in range(1500)]
        local = Faker(["fr_BE", "nl_BE"])
        local.seed_instance(self.rng.randrange(1 << 30))
        self.companies = [local.company() for _ in range(400)]
        jobs = Faker("fr_FR")
        jobs.seed_instance(self.rng.randrange(1 << 30))
        self.job_titles = [jobs.job()[:200] for _ in range(300)]

    def _person_name(self, gender):
        rng = self.rng
        if gender == Gender.FEMALE or (gender == Gender.X and rng.random() < 0.5):
            first = rng.choice(self.female_names)
        else:
            first = rng.choice(self.male_names)
        return first, rng.choice(self.last_names)

    def _phone(self):
        return "+32 4{:02d} {:02d} {:02d} {:02d}".format(*(self.rng.randrange(100) for _ in range(4)))

    def _create_partners_and_programmes(self, n_partners):
        rng = self.rng
        partners = Partner.objects.bulk_create(
            [
                Partner(
                    name=f"Scale partner {i:02d} ({self.faker.city()})",
                    slug=f"{PARTNER_SLUG_PREFIX}{i:02d}",
                    website=f"https://scale-partner-{i:02d}.example.org",
                )
                for i in range(1, n_partners + 1)
            ]
        )
        programmes = []
        for index, partner in enumerate(partners):
            keys = [index % len(PROGRAMME_TEMPLATES)]
            if rng.random() < 0.5:
                keys.append((index + 1 + rng.randrange(len(PROGRAMME_TEMPLATES) - 1)) % len(PROGRAMME_TEMPLATES))
            for key in keys:
                template = dict(PROGRAMME_TEMPLATES[key])
                slug = f"{partner.slug}-{template.pop('key')}"
                template["name"] = f"{template['name']} ({partner.slug})"
                programmes.append(Programme(partner=partner, slug=slug, **template))
        programmes = Programme.objects.bulk_create(programmes)
        # Re-read so both backends give ids (bulk_create returns them on PostgreSQL and recent SQLite).
        partners = list(Partner.objects.filter(slug__startswith=PARTNER_SLUG_PREFIX).order_by("slug"))
        programmes = list(Programme.objects.filter(partner__in=partners).order_by("partner__slug", "pk"))
        by_partner = {p.pk: [] for p in partners}
        for programme in programmes:
            by_partner[programme.partner_id].append(programme)
        return partners, by_partner

    def _create_conventions(self, partners, duos_per_partner_year):
        """One convention a year per partner for a third of the partners; one
        shared convention a year, split in shares, for the others."""
        rng = self.rng
        years = range(self.first_day.year, self.as_of.year + 1)
        own = [p for i, p in enumerate(partners) if i % 3 == 2]
        sharing = [p for p in partners if p not in own]
        conventions = []
        share_specs = []
        for year in years:
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            per_duo = 1150 + 25 * (year - self.first_day.year)  # costs grow a little each year
            for partner in own:
                target = max(1, round(duos_per_partner_year.get((partner.pk, year), 0) * rng.uniform(0.9, 1.15)))
                conventions.append(
                    FundingConvention(
                        name=f"Actiris {year} - {partner.name}",
                        slug=f"{CONVENTION_SLUG_PREFIX}{year}-{partner.slug}",
                        amount=Decimal(round(target * per_duo * rng.uniform(0.95, 1.1), -2)),
                        period_start=start,
                        period_end=end,
                        target_duos_per_year=target,
                        notes="Synthetic scale data.",
                    )
                )
            if sharing:
                shares = []
                for partner in sharing:
                    target = max(1, round(duos_per_partner_year.get((partner.pk, year), 0) * rng.uniform(0.9, 1.15)))
                    amount = Decimal(round(target * per_duo * rng.uniform(0.95, 1.1), -2))
                    shares.append((partner, amount, target))
                conventions.append(
                    FundingConvention(
                        name=f"Actiris {year} - mentoring programmes (shared)",
                        slug=f"{CONVENTION_SLUG_PREFIX}{year}-shared",
                        amount=sum(s[1] for s in shares),
                        period_start=start,
                        period_end=end,
                        target_duos_per_year=sum(s[2] for s in shares),
                        notes="Synthetic scale data, split between partners.",
                    )
                )
                share_specs.append((f"{CONVENTION_SLUG_PREFIX}{year}-shared", shares))
        FundingConvention.objects.bulk_create(conventions)
        by_slug = {c.slug: c for c in FundingConvention.objects.filter(slug__startswith=CONVENTION_SLUG_PREFIX)}
        ConventionShare.objects.bulk_create(
            [
                ConventionShare(convention=by_slug[slug], partner=partner, amount=amount, target_duos_per_year=target)
                for slug, shares in share_specs
                for partner, amount, target in shares
            ]
        )
        convention_for = {}
        for year in years:
            for partner in own:
                convention_for[(partner.pk, year)] = by_slug[f"{CONVENTION_SLUG_PREFIX}{year}-{partner.slug}"].pk
            for partner in sharing:
                convention_for[(partner.pk, year)] = by_slug[f"{CONVENTION_SLUG_PREFIX}{year}-shared"].pk
        return convention_for, len(conventions)

    def _reserve_ids(self, model, count):
        """``count`` fresh primary keys for ``model``, so rows can reference each
        other before they are written."""
        table = model._meta.db_table
        if self.use_copy:
            # One block of the sequence (a million nextval() calls cost seconds).
            # The lock, held to the end of the transaction, keeps any other
            # insert from taking an id of the block in between.
            self.cursor.execute(f"LOCK TABLE {connection.ops.quote_name(table)} IN SHARE ROW EXCLUSIVE MODE")
            self.cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = self.cursor.fetchone()[0]
            self.cursor.execute("SELECT nextval(%s)", [sequence])
            first = self.cursor.fetchone()[0]
            if count > 1:
                self.cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
            return range(first, first + count)
        self.cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        first = self.cursor.fetchone()[0] + 1
        return range(first, first + count)

    def _create_mentors(self, partners, duos_per_partner):
        """A pool per partner, about one mentor per three duos: mentors come
        back for another duo every few years. Old enough for every programme."""
        rng = self.rng
        counts = [max(5, round(n / 3)) for n in duos_per_partner]
        ids = self._reserve_ids(Mentor, sum(counts))
        writer = TableWriter(
            self.cursor,
            Mentor,
            [
                "id",
                "partner_id",
                "first_name",
                "last_name",
                "email",
                "phone",
                "birth_date",
                "gender",
                "employer",
                "job_title",
                "created_at",
                "updated_at",
            ],
            use_copy=self.use_copy,
        )
        pools = []
        position = 0
        stamp = self._stamp_for_setup()
        for partner, count in zip(partners, counts, strict=True):
            pool = ids[position : position + count]
            position += count
            pools.append(pool)
            for mentor_id in pool:
                gender = Gender.FEMALE if rng.random() < 0.45 else Gender.MALE
                first, last = self._person_name(gender)
                # Over 50 on the first possible start date: fits every programme's rule.
                birth = birth_date_for_age(rng, self.first_day, rng.randint(51, 70))
                writer.add(
                    (
                        mentor_id,
                        partner.pk,
                        first,
                        last,
                        f"mentor{mentor_id}@example.org",
                        self._phone(),
                        birth,
                        gender,
                        rng.choice(self.companies),
                        rng.choice(self.job_titles),
                        stamp,
                        stamp,
                    )
                )
            writer.flush()
        return pools

    def _stamp_for_setup(self):
        return datetime.datetime(self.first_day.year, self.first_day.month, self.first_day.day, 8, 0, tzinfo=UTC)
