import { useI18n } from "../../i18n/i18n";
import { Page } from "../../ui/Page";

export default function ForgotPasswordPage() {
  const { t } = useI18n();
  return <Page title={t("auth.forgot.title")}>{null}</Page>;
}
