import { useI18n } from "../../i18n/i18n";
import { Page } from "../../ui/Page";

export default function AcceptInvitationPage() {
  const { t } = useI18n();
  return <Page title={t("auth.invite.title")}>{null}</Page>;
}
