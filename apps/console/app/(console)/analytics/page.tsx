import { redirect } from "next/navigation";

/** Analytics became the Overview; old links and bookmarks land there. */
export default function AnalyticsPage() {
  redirect("/overview");
}
