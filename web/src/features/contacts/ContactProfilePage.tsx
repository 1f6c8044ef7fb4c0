// /contacts/:contactId — the aggregated contact profile (see profile/).
import { useParams } from "react-router";

import { useI18n } from "../../i18n/i18n";
import { Loading, Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useProfile } from "./profile/profileApi";
import { ProfileView } from "./profile/ProfileView";

export default function ContactProfilePage() {
  const { t } = useI18n();
  const { contactId = "" } = useParams();
  const profile = useProfile(contactId);
  if (profile.data) return <ProfileView profile={profile.data} />;
  if (profile.isPending) return <Loading />;
  return (
    <Page title={t("contacts.profile.title")}>
      <ProblemAlert error={profile.error} />
    </Page>
  );
}
