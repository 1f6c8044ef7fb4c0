// The app's root: languages, server state, the session, and the pages the caller may open.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy, Suspense } from "react";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";

import { ApiError } from "../api/problem";
import { AuthProvider, useAuth } from "../auth/AuthProvider";
import { Layout, PortalLayout } from "../features/shell/Layout";
import { I18nProvider } from "../i18n/i18n";
import { Loading, NotAllowed, NotFoundPage } from "../ui/Page";
import { PAGES, PORTAL_PAGES, PUBLIC_PAGES } from "./routes";

const LoginPage = lazy(() => import("../features/auth/LoginPage"));
const PasswordPage = lazy(() => import("../features/auth/PasswordPage"));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refused or unknown request does not get better by asking again; an outage might.
      retry: (count, error) =>
        count < 2 && !(error instanceof ApiError && error.status < 500),
      staleTime: 5_000,
    },
  },
});

export function App() {
  return (
    <I18nProvider>
      <QueryClientProvider client={queryClient}>
        <AuthProvider>
          <BrowserRouter>
            <Suspense fallback={<Loading />}>
              <Screens />
            </Suspense>
          </BrowserRouter>
        </AuthProvider>
      </QueryClientProvider>
    </I18nProvider>
  );
}

function Screens() {
  return (
    <Routes>
      {PUBLIC_PAGES.map(({ path, screen: Screen }) => (
        <Route key={path} path={path} element={<Screen />} />
      ))}
      <Route path="*" element={<SignedIn />} />
    </Routes>
  );
}

/** Who signs in decides the app: staff get theirs, a member gets their own portal. */
function SignedIn() {
  const { status, isStaff, me } = useAuth();
  if (status === "loading") return <Loading />;
  if (status === "anonymous") return <LoginPage />;
  if (isStaff) return <StaffApp />;
  if (me?.contact_id) return <PortalApp />;
  return <NotAllowed />;
}

function StaffApp() {
  const { can } = useAuth();
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Navigate to="/contacts" replace />} />
        {PAGES.map(({ path, needs, screen: Screen }) => (
          <Route
            key={path}
            path={path}
            element={can(...needs) ? <Screen /> : <NotAllowed />}
          />
        ))}
        <Route path="/account/password" element={<PasswordPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

function PortalApp() {
  return (
    <Routes>
      <Route element={<PortalLayout />}>
        {PORTAL_PAGES.map(({ path, screen: Screen }) => (
          <Route key={path} path={path} element={<Screen />} />
        ))}
        <Route path="/account/password" element={<PasswordPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
