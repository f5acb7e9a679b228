// Signpost insights page: fetches /insights/data.json for the chosen period and draws the charts (chart.js, served
// from the bot's own server) and tables. Read-only; no personal data is ever sent to the browser.
(function () {
  'use strict';
  var root = document.getElementById('insights');
  if (!root) return;
  var query = 'from=' + encodeURIComponent(root.dataset.from) + '&to=' + encodeURIComponent(root.dataset.to);
  var colours = { searches: '#1d4f91', none: '#c0392b', relaxed: '#e69f00', trained: '#2e7d32', target: '#9e9e9e' };
  var humanise = function (s) {
    return s ? String(s).replace(/_/g, ' ') : 'any';
  };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }
  function table(columns, rows, empty) {
    if (!rows.length) return el('p', { class: 'empty' }, [empty]);
    return el('table', {}, [
      el('thead', {}, [
        el(
          'tr',
          {},
          columns.map(function (c) {
            return el('th', { scope: 'col' }, [c.label]);
          }),
        ),
      ]),
      el(
        'tbody',
        {},
        rows.map(function (r) {
          return el(
            'tr',
            {},
            columns.map(function (c) {
              return el('td', c.num ? { class: 'num' } : {}, [String(c.value(r))]);
            }),
          );
        }),
      ),
    ]);
  }
  function fill(id, node) {
    var host = document.getElementById(id);
    host.textContent = '';
    host.appendChild(node);
  }
  function chart(id, config) {
    config.options = Object.assign(
      { responsive: true, maintainAspectRatio: false, animation: false },
      config.options || {},
    );
    return new window.Chart(document.getElementById(id), config);
  }

  fetch('/insights/data.json?' + query, { credentials: 'same-origin' })
    .then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.json();
    })
    .then(function (data) {
      var t = data.searches.totals;
      fill(
        'totals',
        el(
          'dl',
          {},
          [
            ['Searches', t.searches],
            ['Found nothing', t.noResults],
            ['Needed wider filters', t.relaxed],
            ['Results opened', t.opened],
            ['Shared with residents', t.shared],
            ['Booked', t.booked],
            ['Open problem reports', data.flags.length],
          ].map(function (p) {
            return el('div', { class: 'stat' }, [el('dt', {}, [p[0]]), el('dd', {}, [String(p[1])])]);
          }),
        ),
      );

      var days = data.searches.byDay;
      chart('chart-days', {
        type: 'line',
        data: {
          labels: days.map(function (d) {
            return d.date;
          }),
          datasets: [
            {
              label: 'Searches',
              data: days.map(function (d) {
                return d.searches;
              }),
              borderColor: colours.searches,
              backgroundColor: colours.searches,
              tension: 0.2,
            },
            {
              label: 'Found nothing',
              data: days.map(function (d) {
                return d.noResults;
              }),
              borderColor: colours.none,
              backgroundColor: colours.none,
              tension: 0.2,
            },
          ],
        },
        options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
      });

      var wards = data.searches.byWard;
      chart('chart-wards', {
        type: 'bar',
        data: {
          labels: wards.map(function (w) {
            return w.ward || 'Not said';
          }),
          datasets: [
            {
              label: 'Found something',
              data: wards.map(function (w) {
                return w.searches - w.noResults - w.relaxed;
              }),
              backgroundColor: colours.searches,
              stack: 's',
            },
            {
              label: 'Needed wider filters',
              data: wards.map(function (w) {
                return w.relaxed;
              }),
              backgroundColor: colours.relaxed,
              stack: 's',
            },
            {
              label: 'Found nothing',
              data: wards.map(function (w) {
                return w.noResults;
              }),
              backgroundColor: colours.none,
              stack: 's',
            },
          ],
        },
        options: {
          indexAxis: 'y',
          scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } },
        },
      });

      fill(
        'gaps',
        table(
          [
            {
              label: 'Ward',
              value: function (g) {
                return g.ward || 'any';
              },
            },
            {
              label: 'Who',
              value: function (g) {
                return humanise(g.audience);
              },
            },
            {
              label: 'What',
              value: function (g) {
                return g.category || 'any';
              },
            },
            {
              label: 'Day',
              value: function (g) {
                return g.day || 'any';
              },
            },
            {
              label: 'Time',
              value: function (g) {
                return g.timeOfDay || 'any';
              },
            },
            {
              label: 'Found nothing',
              num: true,
              value: function (g) {
                return g.noResults;
              },
            },
            {
              label: 'Wider filters',
              num: true,
              value: function (g) {
                return g.relaxed;
              },
            },
            {
              label: 'Searches',
              num: true,
              value: function (g) {
                return g.searches;
              },
            },
          ],
          data.gaps,
          'No unmet needs in this period.',
        ),
      );

      var courses = data.training;
      chart('chart-training', {
        type: 'bar',
        data: {
          labels: courses.map(function (c) {
            return c.course;
          }),
          datasets: [
            {
              label: 'Trained',
              data: courses.map(function (c) {
                return c.trained;
              }),
              backgroundColor: colours.trained,
            },
            {
              label: 'Target',
              data: courses.map(function (c) {
                return c.target || 0;
              }),
              backgroundColor: colours.target,
            },
          ],
        },
        options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
      });
      fill(
        'training',
        table(
          [
            {
              label: 'Course',
              value: function (c) {
                return c.course;
              },
            },
            {
              label: 'Trained (in date)',
              num: true,
              value: function (c) {
                return c.trained;
              },
            },
            {
              label: 'Target',
              num: true,
              value: function (c) {
                return c.target === null ? '–' : c.target;
              },
            },
            {
              label: 'Stays in date',
              value: function (c) {
                return c.validity || '–';
              },
            },
            {
              label: 'Lapsed',
              num: true,
              value: function (c) {
                return c.validity ? c.lapsed : '–';
              },
            },
            {
              label: 'Lapsing in 3 months',
              num: true,
              value: function (c) {
                return c.validity ? c.lapsingSoon : '–';
              },
            },
            {
              label: 'Booked',
              num: true,
              value: function (c) {
                return c.booked;
              },
            },
            {
              label: 'Attendance',
              num: true,
              value: function (c) {
                return c.attendanceRate === null ? '–' : Math.round(c.attendanceRate * 100) + '%';
              },
            },
            {
              label: 'Sessions',
              num: true,
              value: function (c) {
                return c.sessions;
              },
            },
          ],
          courses,
          'No training sessions yet.',
        ),
      );

      var f = data.freshness;
      var freshness = el('div', {}, [
        el('p', {}, [
          f.staleEntries.length +
            ' listings not confirmed since ' +
            f.staleBefore +
            ' (or never); ' +
            f.failingFeeds.length +
            ' failing feeds.',
        ]),
        table(
          [
            {
              label: 'Feed',
              value: function (s) {
                return s.name;
              },
            },
            {
              label: 'Error',
              value: function (s) {
                return s.lastError;
              },
            },
            {
              label: 'Since',
              value: function (s) {
                return (s.lastErrorAt || '').slice(0, 10);
              },
            },
            {
              label: 'Last worked',
              value: function (s) {
                return (s.lastSuccessAt || 'never').slice(0, 10);
              },
            },
          ],
          f.failingFeeds,
          'Every feed refreshed on its last try.',
        ),
        table(
          [
            {
              label: 'Listing',
              value: function (s) {
                return s.title;
              },
            },
            {
              label: 'Run by',
              value: function (s) {
                return s.organisation || '';
              },
            },
            {
              label: 'Ward',
              value: function (s) {
                return s.ward || '';
              },
            },
            {
              label: 'Last confirmed',
              value: function (s) {
                return s.lastConfirmed || 'never';
              },
            },
          ],
          f.staleEntries.slice(0, 25),
          'Every listing was confirmed in the last year.',
        ),
      ]);
      fill('freshness', freshness);

      var o = data.outcomes;
      chart('chart-outcomes', {
        type: 'bar',
        data: {
          labels: ['Searched', 'Shared', 'Went'],
          datasets: [
            {
              label: 'Count',
              data: [o.totals.searched, o.totals.shared, o.totals.went],
              backgroundColor: [colours.searches, colours.relaxed, colours.trained],
            },
          ],
        },
        options: {
          plugins: { legend: { display: false } },
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        },
      });
      var funnel = function (label) {
        return [
          {
            label: label,
            value: function (g) {
              return humanise(g.group);
            },
          },
          {
            label: 'Searched',
            num: true,
            value: function (g) {
              return g.searched;
            },
          },
          {
            label: 'Shared',
            num: true,
            value: function (g) {
              return g.shared;
            },
          },
          {
            label: 'Went',
            num: true,
            value: function (g) {
              return g.went;
            },
          },
        ];
      };
      fill(
        'outcomes-category',
        table(funnel('Category'), o.byCategory.slice(0, 25), 'Nothing searched or shared in this period.'),
      );
      fill('outcomes-ward', table(funnel('Ward'), o.byWard.slice(0, 25), 'Nothing searched or shared in this period.'));
      var reasonWords = {
        cost: 'cost',
        getting_there: 'getting there',
        access: 'access',
        timing: 'timing',
        language: 'language',
        not_welcome: 'didn’t feel welcome',
        closed: 'it had closed',
      };
      fill(
        'outcomes-unsuitable',
        table(
          [
            {
              label: 'Listing',
              value: function (x) {
                return x.title;
              },
            },
            {
              label: 'Not suitable',
              num: true,
              value: function (x) {
                return x.unsuitable;
              },
            },
            {
              label: 'Shared',
              num: true,
              value: function (x) {
                return x.shared;
              },
            },
            {
              label: 'Reasons',
              value: function (x) {
                return Object.keys(x.reasons)
                  .filter(function (k) {
                    return x.reasons[k] > 0;
                  })
                  .sort(function (a, b) {
                    return x.reasons[b] - x.reasons[a];
                  })
                  .map(function (k) {
                    return (reasonWords[k] || k) + ' (' + x.reasons[k] + ')';
                  })
                  .join(', ');
              },
            },
          ],
          o.unsuitable,
          'No listing was found unsuitable in this period.',
        ),
      );

      fill(
        'flags',
        table(
          [
            {
              label: 'Listing',
              value: function (x) {
                return x.title || 'removed listing';
              },
            },
            {
              label: 'Problem',
              value: function (x) {
                return x.kind === 'closed' ? 'This has closed' : 'Details are wrong';
              },
            },
            {
              label: 'Note',
              value: function (x) {
                return x.note || '';
              },
            },
            {
              label: 'Contact',
              value: function (x) {
                return x.contact || '';
              },
            },
            {
              label: 'Reported',
              value: function (x) {
                return x.createdAt.slice(0, 10);
              },
            },
          ],
          data.flags,
          'No open reports.',
        ),
      );
      root.setAttribute('data-ready', 'true');
    })
    .catch(function (error) {
      fill(
        'totals',
        el('p', { class: 'error', role: 'alert' }, [
          'Could not load the figures (' + error.message + '). Reload the page, or sign in again.',
        ]),
      );
      root.setAttribute('data-ready', 'error');
    });
})();
