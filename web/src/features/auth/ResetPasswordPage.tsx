import { useI18n } from "../../i18n/i18n";
import { Page } from "../../ui/Page";

export default function ResetPasswordPage() {
  const { t } = useI18n();
  return <Page title={t("auth.reset.title")}>{null}</Page>;
}
