// The contact profile: the name with today's membership status and the actions, then one tab
// per part of the contact. A tab whose section the role may not read is left out.
import { useAuth } from "../../../auth/AuthProvider";
import { useI18n } from "../../../i18n/i18n";
import { Page } from "../../../ui/Page";
import { Tabs, type Tab } from "../../../ui/Tabs";
import { InvoicesPanel } from "../../billing/InvoicesPanel";
import { MandatesPanel } from "../../billing/MandatesPanel";
import { InvitationPanel } from "../../invitations/InvitationPanel";
import { AccessPanel } from "../../memberships/AccessPanel";
import { MembershipsPanel } from "../../memberships/MembershipsPanel";
import { LetterForContact } from "../../letters/LetterForContact";
import { ContactActions } from "../ContactActions";
import { CompaniesTab } from "./CompaniesTab";
import { DetailsTab } from "./DetailsTab";
import { FamilyTab } from "./FamilyTab";
import { GroupsTab } from "./GroupsTab";
import { HistoryTab } from "./HistoryTab";
import { InvoicesTab } from "./InvoicesTab";
import { MembershipsTab } from "./MembershipsTab";
import { MembershipBadge } from "./ProfileHeader";
import type { Profile } from "./profileApi";
import { ResourcesTab } from "./ResourcesTab";
import { SectionBody, isShown } from "./SectionBody";
import { SubscriptionsTab } from "./SubscriptionsTab";
import "./profile.css";

export function ProfileView({ profile }: { profile: Profile }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const id = profile.contact_id;
  const contact = profile.contact.data;
  const name = contact ? `${contact.first_name} ${contact.last_name}`.trim() : t("contacts.profile.title");

  const tabs: (Tab | false)[] = [
    isShown(profile.contact) && {
      id: "details",
      label: t("contacts.profile.tabs.details"),
      render: () => (
        <SectionBody section={profile.contact} what={t("contacts.profile.services.contacts")}>
          {(data) => <DetailsTab contact={data} />}
        </SectionBody>
      ),
    },
    isShown(profile.groups) && {
      id: "groups",
      label: t("contacts.profile.tabs.groups"),
      render: () => <GroupsTab contactId={id} section={profile.groups} />,
    },
    can("GET", "/contacts/contacts/{contact_id}/family") && {
      id: "family",
      label: t("contacts.profile.tabs.family"),
      render: () => <FamilyTab contactId={id} />,
    },
    can("GET", "/contacts/companies") && {
      id: "companies",
      label: t("contacts.profile.tabs.companies"),
      render: () => <CompaniesTab contactId={id} />,
    },
    (isShown(profile.memberships) || isShown(profile.access)) && {
      id: "memberships",
      label: t("contacts.profile.tabs.memberships"),
      // Who may change memberships works in the memberships panels; others read the profile's.
      render: () =>
        can("POST", "/memberships/memberships") ? (
          <>
            <MembershipsPanel contactId={id} />
            <AccessPanel contactId={id} />
          </>
        ) : (
          <MembershipsTab memberships={profile.memberships} access={profile.access} />
        ),
    },
    isShown(profile.subscriptions) && {
      id: "subscriptions",
      label: t("contacts.profile.tabs.subscriptions"),
      render: () => <SubscriptionsTab section={profile.subscriptions} />,
    },
    isShown(profile.open_invoices) && {
      id: "invoices",
      label: t("contacts.profile.tabs.invoices"),
      render: () => (
        <>
          <InvoicesTab section={profile.open_invoices} />
          {can("GET", "/billing/contacts/{contact_id}/invoices") ? (
            <InvoicesPanel contactId={id} />
          ) : null}
          {can("GET", "/billing/contacts/{contact_id}/mandates") ? (
            <MandatesPanel contactId={id} />
          ) : null}
        </>
      ),
    },
    can("GET", "/invitations") && {
      id: "portal",
      label: t("contacts.profile.tabs.portal"),
      render: () => <InvitationPanel contactId={id} />,
    },
    can("GET", "/contacts/contacts/{contact_id}/resources") && {
      id: "resources",
      label: t("contacts.profile.tabs.resources"),
      render: () => <ResourcesTab contactId={id} />,
    },
    can("GET", "/contacts/contacts/{contact_id}/history") && {
      id: "history",
      label: t("contacts.profile.tabs.history"),
      render: () => <HistoryTab contactId={id} />,
    },
  ];

  return (
    <Page
      title={name}
      actions={
        <>
          <ContactActions
            contactId={id}
            name={contact ? name : undefined}
            etag={contact ? `"${contact.version}"` : undefined}
          />
          <LetterForContact contactId={id} />
        </>
      }
    >
      <div className="profile">
        {contact ? <MembershipBadge membership={contact.membership} /> : null}
        <Tabs
          tabs={tabs.filter((tab): tab is Tab => tab !== false)}
          label={t("contacts.profile.tabs.label")}
        />
      </div>
    </Page>
  );
}
