<%--
  Message Carbons status (Sessions tab): one user's sessions first (what the administrator searched for), then the
  figures since the plugin started, and the users with carbons enabled, paged. Read-only, so plain GET (the refresh
  choice is remembered per administrator, as on Openfire's Client Sessions page); every value from users or
  sessions goes through c:out or fn:escapeXml.
--%>
<%@ page contentType="text/html; charset=UTF-8" %>
<%@ page import="org.igniterealtime.openfire.plugins.carbons.CarbonsPlugin,
                 org.igniterealtime.openfire.plugins.carbons.console.Paging,
                 org.igniterealtime.openfire.plugins.carbons.console.CarbonsAdmin,
                 org.jivesoftware.util.ParamUtils" %>
<%@ taglib uri="admin" prefix="admin" %>
<%@ taglib uri="http://java.sun.com/jsp/jstl/core" prefix="c" %>
<%@ taglib uri="http://java.sun.com/jsp/jstl/fmt" prefix="fmt" %>
<%@ taglib uri="http://java.sun.com/jsp/jstl/functions" prefix="fn" %>
<jsp:useBean id="webManager" class="org.jivesoftware.util.WebManager"/>
<%
    webManager.init(request, response, session, application, out);
    // Auto-refresh like Openfire's session-summary.jsp: the same choices, remembered per administrator.
    final int refresh = ParamUtils.getIntParameter(request, "refresh", webManager.getRefreshValue("carbons-status", 0));
    if (request.getParameter("refresh") != null) {
        webManager.setRefreshValue("carbons-status", refresh);
    }
    pageContext.setAttribute("refresh", refresh);
    pageContext.setAttribute("refreshes", new int[]{0, 10, 30, 60, 90});
    final CarbonsAdmin carbons = CarbonsPlugin.adminPages();
    if (carbons != null) {
        final String typed = ParamUtils.getParameter(request, "username");
        final String username = CarbonsAdmin.username(typed);
        pageContext.setAttribute("summary", carbons.summary());
        pageContext.setAttribute("carbonsOn", carbons.settings().carbonsEnabled());
        pageContext.setAttribute("typed", typed);
        pageContext.setAttribute("username", username);
        pageContext.setAttribute("resources", carbons.resourcesOf(username));
        pageContext.setAttribute("users", carbons.usersWithCarbons(ParamUtils.getIntParameter(request, "start", 0),
            ParamUtils.getIntParameter(request, "range", Paging.DEFAULT_RANGE)));
        pageContext.setAttribute("ranges", Paging.RANGES);
    }
    pageContext.setAttribute("running", carbons != null);
%>
<html>
<head>
    <title><fmt:message key="carbons.status.title"/></title>
    <meta name="pageID" content="carbons-status"/>
    <c:if test="${refresh > 0}">
        <meta http-equiv="refresh" content="${refresh}"/>
    </c:if>
    <style>
        /* Figure tables span the page and end in figure columns of one width, so that figures stand in the same
           columns from table to table; numbers are right-aligned so that their digits line up. */
        table.carbons-figures { width: 100%; }
        table.carbons-figures th.count, table.carbons-figures td.count { width: 12em; }
        table.jive-table th.count, table.jive-table td.count { text-align: right; white-space: nowrap; }
        table.carbons-figures tr.total td { font-weight: bold; border-top: 1px solid #ccc; }
        #carbons-refresh { float: right; }
    </style>
</head>
<body>

<c:if test="${not running}">
    <admin:infoBox type="error"><fmt:message key="carbons.error.not-running"/></admin:infoBox>
</c:if>
<c:if test="${running}">

<c:if test="${not carbonsOn}">
    <admin:infoBox type="warning"><fmt:message key="carbons.status.switched-off"/></admin:infoBox>
</c:if>

<form action="carbons-status.jsp" method="get" id="carbons-refresh">
    <label for="refresh"><fmt:message key="carbons.status.refresh"/></label>
    <select name="refresh" id="refresh" onchange="this.form.submit()">
        <c:forEach var="choice" items="${refreshes}">
            <option value="${choice}" ${choice == refresh ? 'selected' : ''}><c:choose><c:when test="${choice == 0}"><fmt:message key="carbons.status.refresh.none"/></c:when><c:otherwise>${choice}</c:otherwise></c:choose></option>
        </c:forEach>
    </select>
    <fmt:message key="carbons.status.refresh.seconds"/>
    <input type="hidden" name="username" value="<c:out value='${typed}'/>"/>
    <input type="hidden" name="start" value="${users.paging().start()}"/>
    <input type="hidden" name="range" value="${users.paging().range()}"/>
    <noscript><input type="submit" value="<fmt:message key='carbons.status.per-page.button'/>"/></noscript>
</form>

<p><fmt:message key="carbons.status.intro"/></p>

<fmt:message key="carbons.status.user" var="userTitle"/>
<admin:contentBox title="${userTitle}">
    <form action="carbons-status.jsp" method="get" id="user-search">
        <label for="username"><fmt:message key="carbons.status.search"/></label>
        <input type="text" name="username" id="username" size="30" maxlength="1023" value="<c:out value='${typed}'/>"/>
        <input type="submit" value="<fmt:message key='carbons.status.search.button'/>"/>
        <input type="hidden" name="start" value="${users.paging().start()}"/>
        <input type="hidden" name="range" value="${users.paging().range()}"/>
    </form>
    <c:choose>
        <c:when test="${not empty typed and empty username}">
            <p id="user-result"><fmt:message key="carbons.status.invalid-user"><fmt:param value="${fn:escapeXml(typed)}"/></fmt:message></p>
        </c:when>
        <c:when test="${not empty username and empty resources}">
            <p id="user-result"><fmt:message key="carbons.status.no-sessions"><fmt:param value="${fn:escapeXml(username)}"/></fmt:message></p>
        </c:when>
        <c:when test="${not empty username}">
            <p id="user-result"><fmt:message key="carbons.status.sessions-of"><fmt:param value="${fn:escapeXml(username)}"/></fmt:message></p>
            <table class="jive-table" id="user-sessions" cellpadding="3" cellspacing="0">
                <thead><tr>
                    <th><fmt:message key="carbons.status.col.resource"/></th>
                    <th><fmt:message key="carbons.status.col.carbons"/></th>
                    <th><fmt:message key="carbons.status.col.since"/></th>
                    <th><fmt:message key="carbons.status.col.presence"/></th>
                    <th class="count"><fmt:message key="carbons.status.col.delivered"/></th>
                </tr></thead>
                <tbody>
                <c:forEach var="row" items="${resources}">
                    <tr>
                        <td class="resource"><a href="<c:out value='${row.sessionDetails()}'/>" title="<fmt:message key='carbons.status.session-details'/>"><c:out value="${row.resource()}"/></a></td>
                        <td class="carbons"><fmt:message key="${row.carbons() ? 'carbons.status.on' : 'carbons.status.off'}"/></td>
                        <td class="since"><c:if test="${row.carbons()}"><fmt:formatDate value="${row.enabledSince()}" type="both" dateStyle="medium" timeStyle="medium"/></c:if></td>
                        <td class="presence"><c:choose>
                            <c:when test="${row.available()}"><fmt:message key="carbons.status.available"><fmt:param value="${row.priority()}"/></fmt:message></c:when>
                            <c:otherwise><fmt:message key="carbons.status.not-available"/></c:otherwise>
                        </c:choose></td>
                        <td class="count delivered"><fmt:formatNumber value="${row.copiesDelivered()}"/></td>
                    </tr>
                </c:forEach>
                </tbody>
            </table>
        </c:when>
    </c:choose>
</admin:contentBox>

<fmt:message key="carbons.status.summary" var="summaryTitle"/>
<admin:contentBox title="${summaryTitle}">
    <table class="jive-table carbons-figures" id="carbons-summary" cellpadding="3" cellspacing="0">
        <tbody>
        <tr><td><fmt:message key="carbons.status.online-sessions"/></td>
            <td class="count" id="online-sessions"><fmt:formatNumber value="${summary.onlineSessions()}"/></td></tr>
        <tr><td><fmt:message key="carbons.status.carbons-sessions"/></td>
            <td class="count" id="carbons-sessions"><fmt:formatNumber value="${summary.carbonsSessions()}"/></td></tr>
        </tbody>
    </table>
    <c:if test="${summary.node() != null}">
        <p id="cluster-node"><fmt:message key="carbons.status.cluster-node"><fmt:param value="${fn:escapeXml(summary.node().name())}"/><fmt:param value="${summary.node().clusterNodes()}"/></fmt:message></p>
    </c:if>
</admin:contentBox>

<fmt:message key="carbons.status.copies" var="copiesTitle"/>
<admin:contentBox title="${copiesTitle}">
    <p class="jive-description"><fmt:message key="carbons.status.copies.description"/></p>
    <table class="jive-table carbons-figures" id="copies" cellpadding="3" cellspacing="0">
        <thead><tr><th></th>
            <th class="count"><fmt:message key="carbons.status.col.received-side"/></th>
            <th class="count"><fmt:message key="carbons.status.col.sent-side"/></th></tr></thead>
        <tbody>
        <tr id="to-copy"><td><fmt:message key="carbons.status.to-copy"/></td>
            <td class="count received" id="received-to-copy"><fmt:formatNumber value="${summary.received().toCopy()}"/></td>
            <td class="count sent" id="sent-to-copy"><fmt:formatNumber value="${summary.sent().toCopy()}"/></td></tr>
        <tr id="delivered"><td><fmt:message key="carbons.status.delivered"/></td>
            <td class="count received" id="received-copies"><fmt:formatNumber value="${summary.received().delivered()}"/></td>
            <td class="count sent" id="sent-copies"><fmt:formatNumber value="${summary.sent().delivered()}"/></td></tr>
        <tr id="at-once-to-inactive"><td><fmt:message key="carbons.status.at-once-to-inactive"/></td>
            <td class="count received" id="received-at-once"><fmt:formatNumber value="${summary.received().atOnceToInactive()}"/></td>
            <td class="count sent" id="sent-at-once"><fmt:formatNumber value="${summary.sent().atOnceToInactive()}"/></td></tr>
        </tbody>
    </table>
</admin:contentBox>

<fmt:message key="carbons.status.not-copied" var="notCopiedTitle"/>
<admin:contentBox title="${notCopiedTitle}">
    <p class="jive-description"><fmt:message key="carbons.status.not-copied.description"/></p>
    <table class="jive-table carbons-figures" id="copied" cellpadding="3" cellspacing="0">
        <thead><tr><th><fmt:message key="carbons.status.col.copied-reason"/></th>
            <th class="count"><fmt:message key="carbons.status.col.received-side"/></th>
            <th class="count"><fmt:message key="carbons.status.col.sent-side"/></th></tr></thead>
        <tbody>
        <c:forEach var="reason" items="${summary.copiedBy()}">
            <tr id="reason-${reason.name()}"><td><fmt:message key="${reason.key()}"/></td>
                <td class="count received"><fmt:formatNumber value="${reason.received()}"/></td>
                <td class="count sent"><fmt:formatNumber value="${reason.sent()}"/></td></tr>
        </c:forEach>
        <tr class="total" id="copied-total"><td><fmt:message key="carbons.status.total-copied"/></td>
            <td class="count received"><fmt:formatNumber value="${summary.received().toCopy()}"/></td>
            <td class="count sent"><fmt:formatNumber value="${summary.sent().toCopy()}"/></td></tr>
        </tbody>
    </table>
    <br/>
    <table class="jive-table carbons-figures" id="not-copied" cellpadding="3" cellspacing="0">
        <thead><tr><th><fmt:message key="carbons.status.col.reason"/></th>
            <th class="count"><fmt:message key="carbons.status.col.received-side"/></th>
            <th class="count"><fmt:message key="carbons.status.col.sent-side"/></th></tr></thead>
        <tbody>
        <c:forEach var="reason" items="${summary.notCopiedBy()}">
            <tr id="reason-${reason.name()}"><td><fmt:message key="${reason.key()}"/></td>
                <td class="count received"><fmt:formatNumber value="${reason.received()}"/></td>
                <td class="count sent"><fmt:formatNumber value="${reason.sent()}"/></td></tr>
        </c:forEach>
        </tbody>
    </table>
    <br/>
    <table class="jive-table carbons-figures" id="incidents" cellpadding="3" cellspacing="0">
        <thead><tr><th><fmt:message key="carbons.status.col.incident"/></th><th class="count"><fmt:message key="carbons.status.col.times"/></th></tr></thead>
        <tbody>
        <c:forEach var="incident" items="${summary.incidents()}">
            <tr id="incident-${incident.name()}"><td><fmt:message key="${incident.key()}"/></td>
                <td class="count"><fmt:formatNumber value="${incident.count()}"/></td></tr>
        </c:forEach>
        </tbody>
    </table>
</admin:contentBox>

<fmt:message key="carbons.status.users" var="usersTitle"/>
<admin:contentBox title="${usersTitle}">
    <c:set var="paging" value="${users.paging()}"/>
    <c:choose>
        <c:when test="${paging.total() == 0}">
            <p id="users-summary"><fmt:message key="carbons.status.no-users"/></p>
        </c:when>
        <c:otherwise>
            <p id="users-summary"><fmt:message key="carbons.status.users.showing">
                <fmt:param value="${paging.start() + 1}"/><fmt:param value="${paging.end()}"/><fmt:param value="${paging.total()}"/>
            </fmt:message></p>
            <form action="carbons-status.jsp" method="get" id="users-range">
                <label for="range"><fmt:message key="carbons.status.per-page"/></label>
                <select name="range" id="range" onchange="this.form.submit()">
                    <c:forEach var="choice" items="${ranges}">
                        <option value="${choice}" ${choice == paging.range() ? 'selected' : ''}>${choice}</option>
                    </c:forEach>
                </select>
                <input type="hidden" name="username" value="<c:out value='${username}'/>"/>
                <noscript><input type="submit" value="<fmt:message key='carbons.status.per-page.button'/>"/></noscript>
            </form>
            <table class="jive-table" id="users" cellpadding="3" cellspacing="0">
                <thead><tr>
                    <th><fmt:message key="carbons.status.col.user"/></th>
                    <th class="count"><fmt:message key="carbons.status.col.carbons-resources"/></th>
                    <th class="count"><fmt:message key="carbons.status.col.online-resources"/></th>
                </tr></thead>
                <tbody>
                <c:forEach var="user" items="${users.rows()}">
                    <c:url var="userLink" value="carbons-status.jsp">
                        <c:param name="username" value="${user.username()}"/>
                        <c:param name="start" value="${paging.start()}"/>
                        <c:param name="range" value="${paging.range()}"/>
                    </c:url>
                    <tr>
                        <td class="user"><a href="<c:out value='${userLink}'/>"><c:out value="${user.username()}"/></a></td>
                        <td class="count carbons-resources"><fmt:formatNumber value="${user.carbonsResources()}"/></td>
                        <td class="count online-resources"><fmt:formatNumber value="${user.onlineResources()}"/></td>
                    </tr>
                </c:forEach>
                </tbody>
            </table>
            <c:if test="${paging.pages() > 1}">
                <p id="pages"><fmt:message key="carbons.status.pages"/>:
                    <c:forEach var="page" items="${paging.links()}">
                        <c:choose>
                            <c:when test="${page == 0}">&hellip;</c:when>
                            <c:when test="${page == paging.page()}"><strong class="current">${page}</strong></c:when>
                            <c:otherwise>
                                <c:url var="pageLink" value="carbons-status.jsp">
                                    <c:param name="start" value="${paging.startOf(page)}"/>
                                    <c:param name="range" value="${paging.range()}"/>
                                    <c:param name="username" value="${username}"/>
                                </c:url>
                                <a href="<c:out value='${pageLink}'/>">${page}</a>
                            </c:otherwise>
                        </c:choose>
                    </c:forEach>
                </p>
            </c:if>
        </c:otherwise>
    </c:choose>
</admin:contentBox>

</c:if>
</body>
</html>
